import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { runMain } from './in-process.js';
import { TINY_MODEL, writeTinyScenario } from './scenario-fixtures.js';

const dir = tempDir('neurochaos-validate-');
const scenario = (name: string, experiments: string[][]) => {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, ['title: t', `model: { name: ${JSON.stringify(TINY_MODEL)} }`, 'backend: cpu', 'experiments:', ...experiments.flat()].join('\n'));
  return file;
};
const exp = (id: string, fault: string, observationMs = '40', recoveryTimeoutMs = '100') => [`  - id: ${id}`, `    fault: ${fault}`, `    observationMs: ${observationMs}`, `    recoveryTimeoutMs: ${recoveryTimeoutMs}`];
const storm = (rateHz: number) => `{ kind: spike-storm, target: { populations: [E], percent: 10 }, rateHz: ${rateHz}, amplitudePa: 20, durationMs: 20 }`;

describe('validate reports every error of a file at once (issue 22)', () => {
  it('every fault that does not fit the model, not only the first', async () => {
    const file = scenario('faults', [exp('a', '{ kind: neuron-fault, mode: dead, target: { populations: [L4E] } }'), exp('b', storm(20000)), exp('c', storm(100)), exp('d', storm(30000))]);
    const r = await runMain(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /experiments\[0\]\.fault\.target\.populations\[0\]: unknown population "L4E"/);
    assert.match(r.stderr, /experiments\[1\]\.fault\.rateHz: must be at most 1\/dt/);
    assert.match(r.stderr, /experiments\[3\]\.fault\.rateHz: must be at most 1\/dt/);
    assert.doesNotMatch(r.stderr, /experiments\[2\]/);
    // Each further error on its own line, named with the file as the first is.
    assert.equal(r.stderr.split('\n').filter((l) => l.includes(`${file}.experiments[`)).length, 3);
  });

  it('a duplicate id and every time off the dt grid together', async () => {
    const file = scenario('cross', [exp('a', storm(100), '40.05'), exp('a', storm(100), '40', '100.05')]);
    const r = await runMain(['validate', file]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /experiments\[1\]\.id: duplicate experiment id "a"/);
    assert.match(r.stderr, /experiments\[0\]\.observationMs: must be a multiple of dt/);
    assert.match(r.stderr, /experiments\[1\]\.recoveryTimeoutMs: must be a multiple of dt/);
  });

  it('every file is checked: a bad one among good ones exits 2 and the good ones are still reported valid', async () => {
    const good = writeTinyScenario(dir, 'good', [{ id: 'ok' }]);
    const bad = scenario('bad', [exp('a', storm(20000))]);
    const r = await runMain(['validate', bad, good]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml\.experiments\[0\]\.fault\.rateHz/);
    assert.match(r.stdout, /good\.yaml: valid/);
  });

  it('run --dry-run refuses the same file with the same errors', async () => {
    const file = scenario('dry', [exp('a', storm(20000)), exp('b', storm(30000))]);
    const r = await runMain(['run', file, '--dry-run', '--out', join(dir, 'out')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /experiments\[0\]\.fault\.rateHz[\s\S]*experiments\[1\]\.fault\.rateHz/);
  });
});
