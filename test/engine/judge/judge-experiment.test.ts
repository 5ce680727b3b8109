import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosEngine } from '../../../src/engine/chaos-engine.js';
import { validateScenario } from '../../../src/engine/load-scenario.js';
import { TINY_MODEL } from '../../cli/scenario-fixtures.js';

/** The tiny Poisson-driven model (E 160 / I 40), one neuron fault, long enough spans for several 200-spike windows a side. */
const run = (percent: number, controls: 'baseline' | 'paired' = 'baseline') =>
  new ChaosEngine(
    validateScenario({
      title: 'judge',
      seed: 3,
      model: { name: TINY_MODEL },
      backend: 'cpu',
      judge: { controls },
      defaults: { warmupMs: 50, baselineMs: 400, holdMs: 20 },
      defences: { recording: 'off' },
      experiments: [{ id: 'dead', fault: { kind: 'neuron-fault', mode: 'dead', target: { populations: ['E'], percent }, durationMs: 400 }, observationMs: 400, recoveryTimeoutMs: 100 }],
    }),
  ).run();

describe('judge on a simulated experiment (baseline control)', () => {
  it('half of E dead: the rate.E probe fails with its effect, interval, p-value and window; the verdict names the probe', async () => {
    const e = (await run(50)).experiments[0];
    const j = e.judge!;
    assert.equal(j.controls, 'baseline');
    assert.ok(!j.probes.some((p) => p.metric === 'active-fraction'), 'no twin to compare neurons with: the defaults leave active-fraction out');
    assert.deepEqual(j.treatedSpanMs, [450, 850]);
    const rate = j.probes.find((p) => p.id === 'rate.E' && p.when === 'during')!;
    assert.equal(rate.outcome, 'fail', rate.reason);
    assert.ok(rate.effect! < -0.3, `effect ${rate.effect}`);
    assert.ok(rate.effectCi95![1] < -0.1);
    assert.ok(rate.pValue! < 0.05);
    assert.ok(rate.expectedSpikesPerWindow! >= 200 && rate.windowMs! > 0);
    assert.equal(e.verdict.outcome, 'fail');
    assert.ok(e.verdict.reasons.some((r) => /^probe rate\.E failed during the fault .* ms windows/.test(r)), e.verdict.reasons.join('\n'));
  });

  it('one neuron of 160 dead: a negligible change, every rate probe passes', async () => {
    const e = (await run(0.625)).experiments[0];
    for (const p of e.judge!.probes.filter((x) => x.metric === 'rate' && x.when === 'during')) assert.equal(p.outcome, 'pass', `${p.id}: ${p.reason}`);
    assert.ok(!e.verdict.reasons.some((r) => r.startsWith('probe rate')));
  });
});
