import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeVersion } from '../../src/campaign/code-version.js';
import { expandCampaign } from '../../src/campaign/load-campaign.js';
import { ReferenceCache } from '../../src/campaign/reference-run.js';
import { runJob } from '../../src/campaign/run-job.js';
import { pairedLayout } from '../../src/engine/paired-controls.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TINY_MODEL } from './helpers.js';

const experiment = { warmupMs: 20, baselineMs: 100, monitorIntervalMs: 10, holdMs: 20, observationMs: 40, recoveryTimeoutMs: 50 };

// A per-replica fault with paired controls runs 2 x trials replicas (controls 0..1, treated 2..3, noise streams [0, 1, 0, 1]);
// the reference run must be laid out the same, or its replicas 2..3 draw other drive and differ before the injection.
test('spike measures of a per-replica fault (same-batch layout): the treated replicas against the reference run laid out as the experiment', async () => {
  const dir = tempDir('neurochaos-campaign-layout-');
  const c = expandCampaign(
    {
      title: 'layout',
      model: { name: TINY_MODEL },
      judge: { trials: 2 },
      experiment,
      measures: ['rate-deviation', 'van-rossum'],
      sweeps: [{ name: 'dead', fault: { kind: 'neuron-fault', target: { populations: ['E'], percent: 90 }, mode: 'dead' } }],
    },
    `${dir}/layout.yaml`,
  );
  const { job } = c.jobs[0];
  const scenario = validateScenario({ ...job.scenario, model: { name: TINY_MODEL } }, 'job');
  const layout = pairedLayout(scenario, scenario.experiments[0]);
  assert.equal(layout.controlRun, 'same-batch');
  assert.deepEqual(layout.noiseStreams, [0, 1, 0, 1]);
  const refs = new ReferenceCache();
  try {
    const r = await runJob(job, { workDir: dir, codeVersion: codeVersion(), references: refs });
    assert.equal(r.status, 'ok', r.error);
    assert.ok(!(r.notes ?? []).some((n) => n.includes('not measured')), (r.notes ?? []).join('; '));
    // 90% of E dead: the treated replicas fire far less than their reference twins.
    assert.ok(r.values['rate-deviation.hz'].value > 0, JSON.stringify(r.values));
    assert.ok(r.values['van-rossum.per-neuron'].value > 0, JSON.stringify(r.values));
  } finally {
    await refs.clear();
  }
});

test('a shared fault (separate-run layout) and a per-replica one get their own reference runs', async () => {
  const dir = tempDir('neurochaos-campaign-layout-');
  const c = expandCampaign(
    {
      title: 'layouts',
      model: { name: TINY_MODEL },
      experiment,
      measures: ['rate-deviation'],
      sweeps: [
        { name: 'dead', fault: { kind: 'neuron-fault', target: { populations: ['E'], percent: 90 }, mode: 'dead' } },
        { name: 'flip', fault: { kind: 'weight-corruption', source: 'E', target: 'E', fraction: 0.5, mode: 'sign-flip' } },
      ],
    },
    `${dir}/layouts.yaml`,
  );
  const refs = new ReferenceCache();
  try {
    for (const { job, labels } of c.jobs) {
      const r = await runJob(job, { workDir: dir, codeVersion: codeVersion(), references: refs });
      assert.equal(r.status, 'ok', r.error);
      assert.ok(!(r.notes ?? []).some((n) => n.includes('not measured')), `${labels.sweep}: ${(r.notes ?? []).join('; ')}`);
      assert.ok(r.values['rate-deviation.hz'].value > 0, `${labels.sweep}: ${JSON.stringify(r.values)}`);
    }
  } finally {
    await refs.clear();
  }
});
