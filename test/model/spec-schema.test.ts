import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadModelFile } from '../../src/model/load-model-file.js';
import { validateNetworkSpec } from '../../src/model/spec-schema.js';
import { InputError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/temp-dir.js';

const base = () => ({
  name: 'mine',
  populations: [
    { name: 'E', size: 80, drives: [{ kind: 'poisson', rateHz: 8000, weightPa: 80 }] },
    { name: 'I', size: 20, neuron: { tauMembraneMs: 8 } },
  ],
  projections: [
    { source: 'E', target: 'I', rule: { kind: 'pairwise-probability', probability: 0.1 }, weightPa: { kind: 'constant', value: 50 }, delayMs: { kind: 'constant', value: 1 } },
  ],
});

function fails(input: unknown, field: string, pattern: RegExp) {
  assert.throws(() => validateNetworkSpec(input), (e: unknown) => {
    assert.ok(e instanceof InputError, `expected InputError, got ${String(e)}`);
    assert.equal(e.field, field);
    assert.match(e.message, pattern);
    return true;
  });
}

describe('validateNetworkSpec', () => {
  it('fills NEST iaf_psc_exp defaults and a resting initial potential', () => {
    const spec = validateNetworkSpec(base());
    assert.equal(spec.populations[1].neuron.tauMembraneMs, 8);
    assert.equal(spec.populations[1].neuron.capacitancePf, 250);
    assert.deepEqual(spec.populations[1].initialPotential, { kind: 'constant', valueMv: -70 });
    assert.equal(spec.projections[0].rule.kind === 'pairwise-probability' && spec.projections[0].rule.allowAutapses, true);
  });

  it('names the field and the allowed range', () => {
    const m = base();
    (m.populations[0] as { size: unknown }).size = 1.5;
    fails(m, 'model.populations[0].size', /integer in \[1, 10000000\].*got 1\.5/);
    const p = base();
    (p.projections[0].rule as { probability: number }).probability = 2;
    fails(p, 'model.projections[0].rule.probability', /\[0, 1\]/);
    const nan = base();
    (nan.populations[0].drives![0] as { rateHz: number }).rateHz = Number.NaN;
    fails(nan, 'model.populations[0].drives[0].rateHz', /number in \[0, 100000000\]/);
  });

  it('refuses unknown fields, duplicate names, unknown populations and wrong types', () => {
    fails({ ...base(), colour: 'red' }, 'model', /colour/);
    const dup = base();
    dup.populations[1].name = 'E';
    fails(dup, 'model.populations[1].name', /duplicate/);
    const unk = base();
    unk.projections[0].target = 'X';
    fails(unk, 'model.projections[0].target', /unknown population "X" \(known: E, I\)/);
    fails({ populations: 'many' }, 'model.populations', /array/);
    fails({ populations: [] }, 'model.populations', /at least one/);
    fails(null, 'model', /object/);
  });

  it('refuses a reset at or above threshold', () => {
    const m = base();
    (m.populations[1] as { neuron: object }).neuron = { thresholdMv: -50, resetMv: -50 };
    fails(m, 'model.populations[1].neuron.resetMv', /below thresholdMv/);
  });
});

describe('loadModelFile', () => {
  const dir = tempDir('neurochaos-model-');

  it('loads YAML and JSON', () => {
    const yamlPath = join(dir, 'm.yaml');
    writeFileSync(yamlPath, 'name: y\npopulations:\n  - name: A\n    size: 10\n');
    assert.equal(loadModelFile(yamlPath).populations[0].size, 10);
    const jsonPath = join(dir, 'm.json');
    writeFileSync(jsonPath, JSON.stringify(base()));
    assert.equal(loadModelFile(jsonPath).name, 'mine');
  });

  it('names the file in errors: missing, malformed, invalid', () => {
    assert.throws(() => loadModelFile(join(dir, 'none.yaml')), /cannot read model file.*ENOENT/);
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'populations: [\n');
    assert.throws(() => loadModelFile(bad), /not valid YAML/);
    const invalid = join(dir, 'invalid.yaml');
    writeFileSync(invalid, 'populations:\n  - name: A\n    size: -3\n');
    assert.throws(() => loadModelFile(invalid), (e: unknown) => e instanceof InputError && e.field === `${invalid}.populations[0].size`);
  });

  it('refuses alias bombs', () => {
    const bomb = join(dir, 'bomb.yaml');
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 12; i++) lines.push(`${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`);
    writeFileSync(bomb, lines.join('\n'));
    assert.throws(() => loadModelFile(bomb), InputError);
  });
});
