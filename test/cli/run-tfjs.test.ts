import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

describe('neurochaos run on the tfjs backend', () => {
  it('runs an experiment end to end and journals the tfjs flavour, with the recording whole', async () => {
    const dir = tempDir('nc-tfjs-run-');
    const file = join(dir, 's.yaml');
    writeFileSync(
      file,
      [
        'title: tfjs smoke',
        'model: { name: cuba, scale: 0.05 }',
        'backend: tfjs',
        'defaults: { warmupMs: 10, baselineMs: 60, monitorIntervalMs: 20, holdMs: 20 }',
        'experiments:',
        '  - id: storm',
        '    fault: { kind: spike-storm, target: { percent: 20 }, rateHz: 2000, amplitudePa: 200, durationMs: 20 }',
        '    observationMs: 20',
        '    recoveryTimeoutMs: 60',
      ].join('\n'),
    );
    const r = await runCli(['run', file, '--out', join(dir, 'out')]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const j = JSON.parse(readFileSync(join(dir, 'out', 'journal.json'), 'utf8'));
    assert.equal(j.scenario.backend, 'tfjs');
    assert.match(j.scenario.backendSelection, /tfjs on tfjs-(cpu|node|node-gpu)/);
    const e = j.experiments[0];
    assert.equal(e.status, 'completed');
    assert.ok(e.fault.targets.neurons.length > 0);
    assert.equal(e.defences.spikesLost, 0);
    assert.equal(e.defences.spikesDuplicated, 0);
    assert.equal(e.recording.valid, true);
  });
});
