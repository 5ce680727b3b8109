import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadScenario } from '../../src/engine/load-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('loadScenario', () => {
  const dir = tempDir();

  it('YAML merge keys: an experiment built on another one takes its fields, and its own override them', () => {
    const file = join(dir, 'merge.yaml');
    writeFileSync(
      file,
      [
        'title: merge keys',
        'experiments:',
        '  - &storm',
        '    id: storm_l4e',
        '    fault: &fault { kind: spike-storm, target: { populations: [L4E] }, rateHz: 1000, amplitudePa: 50 }',
        '    observationMs: 150',
        '    recoveryTimeoutMs: 600',
        '  - <<: *storm',
        '    id: storm_l23e',
        '    fault: { <<: *fault, target: { populations: [L23E] } }',
      ].join('\n'),
    );
    const s = loadScenario(file);
    assert.equal(s.experiments.length, 2);
    assert.equal(s.experiments[1].observationMs, 150);
    assert.equal(s.experiments[1].recoveryTimeoutMs, 600);
    assert.deepEqual(s.experiments[1].fault, { kind: 'spike-storm', target: { populations: ['L23E'] }, rateHz: 1000, amplitudePa: 50 });
  });

  it('a number that overflows to Infinity (1e999) is refused with the field and range', () => {
    const file = join(dir, 'inf.yaml');
    writeFileSync(file, 'title: x\nexperiments:\n  - id: a\n    fault: { kind: spike-storm }\n    observationMs: 1e999\n    recoveryTimeoutMs: 1\n');
    assert.throws(() => loadScenario(file), (e: Error) => {
      assert.match(e.message, /experiments\[0\]\.observationMs: must be a number in \(0, 1000000000\] \(got Infinity\)$/);
      return true;
    });
  });
});
