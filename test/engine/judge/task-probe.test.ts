import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosEngine } from '../../../src/engine/chaos-engine.js';
import { validateScenario } from '../../../src/engine/load-scenario.js';
import { TINY_MODEL } from '../../cli/scenario-fixtures.js';

describe('task-accuracy probe (the ColumnTask after the experiment)', () => {
  it('a partition cutting E -> I takes the I readout to chance under the fault and not after it', async () => {
    const j = await new ChaosEngine(
      validateScenario({
        title: 'task',
        seed: 3,
        model: { name: TINY_MODEL },
        backend: 'cpu',
        judge: { trials: 3 },
        defaults: { warmupMs: 50, baselineMs: 200, holdMs: 20 },
        defences: { recording: 'off' },
        hypothesis: { probes: [{ id: 'task', metric: 'task-accuracy', when: ['during', 'after'], task: { trainRounds: 15, testRounds: 20, classes: 2, inputPopulations: ['E'], readoutPopulations: ['I'] } }] },
        experiments: [{ id: 'cut', fault: { kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, direction: 'one-way', mode: 'drop', durationMs: 100 }, observationMs: 100, recoveryTimeoutMs: 100 }],
      }),
    ).run();
    const e = j.experiments[0];
    assert.equal(e.steps.at(-1)!.name, 'task-probe');
    assert.equal(e.steps.at(-1)!.status, 'succeeded');
    const during = e.judge!.probes.find((p) => p.id === 'task' && p.when === 'during')!;
    const after = e.judge!.probes.find((p) => p.id === 'task' && p.when === 'after')!;
    assert.equal(during.treatedWindows, 60, '20 rounds x 3 replicas');
    assert.ok(during.controlMean! > 0.8, `healthy accuracy ${during.controlMean}`);
    assert.ok(during.treatedMean! < 0.7, `accuracy under the fault ${during.treatedMean}`);
    assert.equal(during.outcome, 'fail', during.reason);
    assert.equal(after.outcome, 'pass', after.reason);
    assert.ok(during.treatedSpanMs[0] >= e.samples.at(-1)!.tMs, 'presented after the experiment');
    assert.ok(e.verdict.reasons.some((r) => /^probe task failed during the fault \(.* ms, against the healthy column\): task-accuracy: accuracy /.test(r)), e.verdict.reasons.join('\n'));
  });
});
