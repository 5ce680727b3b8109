import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { validateRecording } from '../../src/record/read-recording.js';
import { tempDir } from '../helpers/temp-dir.js';

const scenario = validateScenario({
  title: 'temporary recordings',
  seed: 5,
  model: { name: 'cuba', scale: 0.2 },
  backend: 'cpu',
  defaults: { warmupMs: 20, baselineMs: 100, monitorIntervalMs: 20, holdMs: 20 },
  experiments: [{ id: 'storm', fault: { kind: 'spike-storm', target: { percent: 20 }, rateHz: 2000, amplitudePa: 200, durationMs: 20 }, observationMs: 40, recoveryTimeoutMs: 100 }],
});

describe('recordings of a library run', () => {
  it('without recordDir: the temporary folder is removed after the run and the journal names no file', async () => {
    // os.tmpdir() follows TMPDIR: a folder of this test's own shows what the run leaves behind.
    const tmp = tempDir('neurochaos-tmpdir-');
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    let j;
    try {
      j = await new ChaosEngine(scenario).run();
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    const r = j.experiments[0].recording!;
    assert.ok(r.spikesRecorded > 0 && r.valid, 'the recording was written and checked during the run');
    assert.equal(r.path, undefined, 'no path to a file that no longer exists');
    assert.equal(r.removed, true);
    assert.deepEqual(readdirSync(tmp), [], 'nothing left in the temp dir');
  });

  it('with recordDir: the files are kept and the journal names them', async () => {
    const dir = tempDir('neurochaos-kept-');
    const j = await new ChaosEngine(scenario, { recordDir: dir }).run();
    const r = j.experiments[0].recording!;
    assert.ok(r.path !== undefined && existsSync(r.path) && r.path.startsWith(dir));
    assert.equal(r.removed, undefined);
    assert.equal(validateRecording(r.path).spikes, r.spikesRecorded);
  });
});
