import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { withHostileField } from '../../src/fuzz/hostile-values.js';
import { scenarioArbitrary } from '../../src/fuzz/scenario-arbitrary.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { InputError } from '../../src/util/errors.js';
import { fuzzNetwork, fuzzNetworkSpec } from '../../fuzz/networks.js';
import { CI_SEED } from '../../fuzz/fuzz-case.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

/**
 * The real CLI on a bounded handful of generated hostile inputs (spawning is
 * slow; the in-process properties fuzz the same parsers heavily): exit 2,
 * an error naming the field, nothing written.
 */
describe('the real CLI on generated hostile input', () => {
  const dir = tempDir('neurochaos-cli-fuzz-');
  const model = join(dir, 'model.json');
  writeFileSync(model, JSON.stringify(fuzzNetworkSpec()));
  // Hostile scenarios the validator refuses, drawn with the pinned seed.
  const refused = fc
    .sample(withHostileField(scenarioArbitrary(fuzzNetwork(), { modelName: model })), { seed: CI_SEED, numRuns: 400 })
    .map((m) => {
      // What a file can hold: the value as JSON says it (no BigInt, no symbols), within a sensible size.
      let value: Record<string, unknown>;
      try {
        const text = JSON.stringify(m.value);
        if (text === undefined || text.length > 100_000) return null;
        value = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return null;
      }
      // ...and what a YAML file can hold: the yaml library's writer recurses, and a hostile value nested deeper than its stack cannot be written.
      let yaml: string;
      try {
        yaml = stringify(value);
      } catch {
        return null;
      }
      try {
        validateScenario(value);
        return null;
      } catch (e) {
        return e instanceof InputError ? { value, yaml, field: e.field } : null;
      }
    })
    .filter((x): x is { value: Record<string, unknown>; yaml: string; field: string } => x !== null)
    .slice(0, 3);

  refused.forEach((m, k) => {
    it(`run refuses hostile scenario ${k} (${m.field}) with exit 2, naming the field, writing nothing`, async () => {
      const file = join(dir, `hostile-${k}.yaml`);
      writeFileSync(file, m.yaml);
      const out = join(dir, `out-${k}`);
      const r = await runCli(['run', file, '--out', out]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^neurochaos: error: /);
      const shown = m.field.replace(/^scenario/, file);
      assert.ok(r.stderr.includes(shown), `stderr names ${shown}: ${r.stderr}`);
      assert.equal(existsSync(out), false, 'no output folder for refused input');
    });
  });

  const flags = fc.sample(fc.tuple(fc.constantFrom('--scale', '--dt', '--seed', '--batch', '--workers'), fc.constantFrom('NaN', '-1', '1e400', '5abc', '', '1.5e-9')), { seed: CI_SEED, numRuns: 2 });
  for (const [flag, v] of flags) {
    it(`simulate ${flag} "${v}" exits 2 naming the flag`, async () => {
      const r = await runCli(['simulate', '--model', 'cuba', flag, v, '--duration', '1']);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`^neurochaos: error: ${flag}: `));
    });
  }

  it('validate refuses a 3000-deep bracket file with exit 2', async () => {
    const file = join(dir, 'deep.yaml');
    writeFileSync(file, `${'['.repeat(3000)}${']'.repeat(3000)}`);
    const r = await runCli(['validate', file]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /nests brackets deeper than 64 levels/);
  });
});
