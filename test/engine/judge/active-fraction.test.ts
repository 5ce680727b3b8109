import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exactMcNemarP, judgeActiveFraction, MIN_EXPECTED_SPIKES_PER_NEURON } from '../../../src/engine/judge/active-fraction.js';
import type { JudgeSide, MetricInputs } from '../../../src/engine/judge/probe-types.js';
import { resolveProbes } from '../../../src/engine/probe-schema.js';

/** Spike trains as (step, neuron) pairs in ascending step order: neuron i fires every `periodMs(i)` ms in [fromMs, toMs) (0: silent); 10 steps per ms. */
function trains(neurons: number, pieces: { fromMs: number; toMs: number; periodMs: (i: number) => number }[]): Int32Array {
  const events: [number, number][] = [];
  for (const p of pieces) {
    for (let i = 0; i < neurons; i++) {
      const period = p.periodMs(i);
      if (period <= 0) continue;
      // A per-neuron phase so that the trains are not all in step.
      for (let t = p.fromMs + (i % period); t < p.toMs; t += period) events.push([t * 10, i]);
    }
  }
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  return Int32Array.from(events.flat());
}

const populations = [{ name: 'E', index: 0, start: 0, size: 100 }];
const probe = resolveProbes([{ id: 'af', metric: 'active-fraction', population: 'E', when: 'during' }], ['E'], 0.1, 'hypothesis.probes')[0];
const noActivity = { at: () => 0 };

/** Pair (control 0, treated 1): baseline [0, 500) ms where both are identical, judged span [500, 1000). */
function inputs(control: Int32Array, treated: Int32Array, o: Partial<MetricInputs> = {}): MetricInputs {
  const side = (spikes: Int32Array, r: number): JudgeSide => ({ activity: noActivity, replicas: [r], bins: [500, 1000], samples: [], spikes: () => spikes });
  return { probe, when: 'during', control: side(control, 0), treated: side(treated, 1), populations, binSteps: 10, dtMs: 0.1, pairs: [[0, 1]], pairingBins: [0, 500], alpha: 0.05, minExpectedSpikes: 200, seedKey: 'af', ...o };
}

const baseline = { fromMs: 0, toMs: 500, periodMs: () => 50 };

describe('active-fraction probe: neurons silenced, against the paired control', () => {
  it('exact McNemar: 2 * P(X <= min(b, c)) for X ~ Binomial(b + c, 1/2), symmetric, 1 without discordant neurons', () => {
    assert.equal(exactMcNemarP(0, 0), 1);
    assert.equal(exactMcNemarP(3, 3), 1);
    assert.ok(Math.abs(exactMcNemarP(10, 0) - 2 * 0.5 ** 10) < 1e-12);
    assert.ok(Math.abs(exactMcNemarP(8, 2) - 2 * (1 + 10 + 45) / 1024) < 1e-12, String(exactMcNemarP(8, 2)));
    assert.equal(exactMcNemarP(2, 8), exactMcNemarP(8, 2));
  });

  it('20 of 100 neurons dead in the treated span: active neurons -20%, McNemar p = 2^-19, the probe fails', () => {
    const control = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: () => 50 }]);
    const treated = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: (i) => (i < 20 ? 0 : 40) }]);
    const r = judgeActiveFraction(inputs(control, treated));
    assert.equal(r.outcome, 'fail', r.reason);
    assert.equal(r.controlMean, 1);
    assert.equal(r.treatedMean, 0.8);
    assert.ok(Math.abs(r.effect! + 0.2) < 1e-12);
    assert.ok(Math.abs(r.pValue! - 2 * 0.5 ** 20) < 1e-15);
    assert.ok(r.effectCi95![0] < -0.2 && r.effectCi95![1] > -0.3 && r.effectCi95![1] < -0.1, `CI ${r.effectCi95}`);
    assert.match(r.reason, /of 100 reliably active neurons, 20 fell silent and 0 fired only in the treated/);
  });

  it('a trajectory that diverged without losing neurons passes: one neuron silent on each side is no finding', () => {
    const control = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: (i) => (i === 7 ? 0 : 50) }]);
    const treated = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: (i) => (i === 8 ? 0 : 45) }]);
    const r = judgeActiveFraction(inputs(control, treated));
    assert.equal(r.outcome, 'pass', r.reason);
    assert.equal(r.effect, 0);
    assert.equal(r.pValue, 1);
  });

  it('a significant but small loss passes: 8 of 100 silent is within the 10% tolerance', () => {
    const control = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: () => 50 }]);
    const treated = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: (i) => (i < 8 ? 0 : 50) }]);
    const r = judgeActiveFraction(inputs(control, treated));
    assert.ok(r.pValue! < 0.05);
    assert.equal(r.outcome, 'pass', r.reason);
    assert.match(r.reason, /within the 10.0% tolerance/);
  });

  it(`only neurons expected to fire >= ${MIN_EXPECTED_SPIKES_PER_NEURON} spikes in the span at their baseline rate count: sparse neurons going quiet are not a finding`, () => {
    // Neurons 0-49 fire every 50 ms in the baseline (10 spikes: expected 10 in the span); 50-99 once (expected 1: left out).
    const base = { fromMs: 0, toMs: 500, periodMs: (i: number) => (i < 50 ? 50 : 499) };
    const control = trains(100, [base, { fromMs: 500, toMs: 1000, periodMs: (i) => (i < 50 ? 50 : 400) }]);
    const treated = trains(100, [base, { fromMs: 500, toMs: 1000, periodMs: (i) => (i < 50 ? 50 : 0) }]);
    const r = judgeActiveFraction(inputs(control, treated));
    assert.equal(r.outcome, 'pass', r.reason);
    assert.match(r.reason, /of 50 reliably active neurons, 0 fell silent/);
    // All sparse: no neuron counts, no data, and the reason says what to lengthen.
    const sparse = trains(100, [{ fromMs: 0, toMs: 500, periodMs: () => 499 }]);
    const none = judgeActiveFraction(inputs(sparse, sparse));
    assert.equal(none.outcome, 'no-data');
    assert.match(none.reason, /no neuron of E fires reliably in the 500 ms baseline.*lengthen the baseline or the span/);
  });

  it('needs paired controls and spike trains: no-data naming what is missing', () => {
    const t = trains(100, [baseline]);
    assert.match(judgeActiveFraction(inputs(t, t, { pairs: [], pairingBins: null })).reason, /needs judge.controls paired/);
    const noTrains = inputs(t, t);
    delete noTrains.control.spikes;
    assert.match(judgeActiveFraction(noTrains).reason, /no spike trains/);
  });

  it('pools the neurons of every pair: two pairs, 10 dead in each, 20 of 200 silent', () => {
    const control = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: () => 50 }]);
    const treated = trains(100, [baseline, { fromMs: 500, toMs: 1000, periodMs: (i) => (i < 10 ? 0 : 50) }]);
    const side = (r: number[]): JudgeSide => ({ activity: noActivity, replicas: r, bins: [500, 1000], samples: [], spikes: (k) => (k % 2 === 0 ? control : treated) });
    const r = judgeActiveFraction({ ...inputs(control, treated), control: side([0, 2]), treated: side([1, 3]), pairs: [[0, 1], [2, 3]] });
    assert.deepEqual([r.controlWindows, r.controlValues, r.treatedValues], [2, [1, 1], [0.9, 0.9]]);
    assert.ok(Math.abs(r.pValue! - 2 * 0.5 ** 20) < 1e-15);
    // A loss of exactly the tolerance fails (|effect| >= tolerance), as every probe's rule.
    assert.equal(r.effect, -0.1);
    assert.equal(r.outcome, 'fail', r.reason);
  });
});
