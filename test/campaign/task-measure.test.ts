import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeVersion } from '../../src/campaign/code-version.js';
import { expandCampaign } from '../../src/campaign/load-campaign.js';
import { ReferenceCache } from '../../src/campaign/reference-run.js';
import { runJob } from '../../src/campaign/run-job.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TINY_MODEL } from './helpers.js';

test('task accuracy: a readout trained on the healthy tiny model, scored under the fault, with its counts; task defaults kept where the campaign sets none', async () => {
  const dir = tempDir('neurochaos-campaign-task-');
  const c = expandCampaign(
    {
      title: 'task',
      model: { name: TINY_MODEL },
      judge: { trials: 2 },
      experiment: { warmupMs: 20, baselineMs: 100, monitorIntervalMs: 10, holdMs: 20, observationMs: 30, recoveryTimeoutMs: 50 },
      measures: ['task-accuracy'],
      task: { warmupMs: 20, trainRounds: 6, testRounds: 2, inputPopulations: ['E'], readoutPopulations: ['I'] },
      sweeps: [{ name: 'dead', fault: { kind: 'neuron-fault', target: { populations: ['E'], percent: 90 }, mode: 'dead' } }],
    },
    `${dir}/task.yaml`,
  );
  const refs = new ReferenceCache();
  try {
    const r = await runJob(c.jobs[0].job, { workDir: dir, codeVersion: codeVersion(), references: refs });
    assert.equal(r.status, 'ok', r.error);
    const healthy = r.values['task.healthy-accuracy'];
    const faulted = r.values['task.accuracy'];
    // 2 held-out rounds x 2 trials (one replica each, on its own noise stream).
    assert.equal(healthy.of, 4);
    assert.equal(faulted.of, 4);
    assert.ok(faulted.value >= 0 && faulted.value <= 1 && faulted.count === Math.round(faulted.value * 4));
  } finally {
    await refs.clear();
  }
});
