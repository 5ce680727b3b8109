import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { probit } from 'simple-statistics';
import type { MetricSample } from '../../src/engine/metrics.js';
import { checkDuring, duringReason } from '../../src/engine/steady-state-during.js';
import { baselineBands, isHealthMetric } from '../../src/engine/steady-state.js';
import { experimentVerdict, type VerdictInputs } from '../../src/engine/verdict.js';

const tolerance = { sigmas: 3, relative: 0.5 };

function sample(tMs: number, rateHz: number, synchrony = 1, nonFinite = 0): MetricSample {
  return { tMs, wallMs: 0, phase: 'fault', ratesHz: { E: rateHz }, synchrony, stepsPerSecond: 1000, stepLatencyMs: 1, workerRestarts: 0, memoryBytes: 0, nonFinite };
}

/** A baseline of 20 samples around 10 Hz with sd 1 Hz (alternating 9 and 11, and a wider synchrony). */
const baseline = Array.from({ length: 20 }, (_, k) => ({ ...sample(20 * (k + 1), k % 2 ? 11 : 9, k % 2 ? 1.5 : 0.5), phase: 'baseline' as const }));
const bands = baselineBands(baseline, tolerance);

describe('steady state while the fault acted (checkDuring)', () => {
  it('calibrates its sd multiplier to the number of samples and metrics (Bonferroni), never below tolerance.sigmas', () => {
    const pairs = Array.from({ length: 500 }, (_, k) => ({ treated: sample(20 * k, 10), control: sample(20 * k, 10), fromMs: 20 * k - 20 }));
    const d = checkDuring({ pairs, bands, judged: isHealthMetric, tolerance, alpha: 0.05 });
    // Judged: rate.E, synchrony, nonFinite.
    assert.equal(d.metrics, 3);
    assert.ok(Math.abs(d.sigmas - probit(1 - 0.05 / (2 * 500 * 3))) < 1e-12);
    assert.ok(d.sigmas > 4.1 && d.sigmas < 4.2, `${d.sigmas}`);
    const one = checkDuring({ pairs: pairs.slice(0, 1), bands, judged: isHealthMetric, tolerance: { sigmas: 6, relative: 0.5 }, alpha: 0.05 });
    assert.equal(one.sigmas, 6);
    assert.equal(d.held, true);
    assert.equal(d.reference, 'paired-control');
  });

  it('compares each treated sample with its paired control over the same interval: a shared drift is no excursion, a lone one is', () => {
    // sd of the baseline rate is ~1.03 Hz: allowed = max(s * 1.03 * sqrt 2, 0.5 * 10, 1) with s ~ 3.14 for 10 x 3 tests: 5 Hz (the relative part).
    const drift = Array.from({ length: 10 }, (_, k) => ({ treated: sample(20 * k, 30), control: sample(20 * k, 29), fromMs: 20 * k - 20 }));
    assert.equal(checkDuring({ pairs: drift, bands, judged: isHealthMetric, tolerance, alpha: 0.05 }).held, true, 'both twins at 30 Hz: the same column');
    const lone = drift.map((p, k) => (k === 4 ? { ...p, treated: sample(20 * k, 40) } : p));
    const d = checkDuring({ pairs: lone, bands, judged: isHealthMetric, tolerance, alpha: 0.05 });
    assert.equal(d.held, false);
    assert.equal(d.excursionCount, 1);
    assert.deepEqual({ metric: d.excursions[0].metric, treated: d.excursions[0].treated, reference: d.excursions[0].reference }, { metric: 'rate.E', treated: 40, reference: 29 });
    assert.equal(d.excursions[0].allowedDeviation, 5);
  });

  it('one sample just outside the round-1 band (mean +- max(3 sd, 50%, 1 Hz)) is inside the family-wise width', () => {
    const x = bands['rate.E'].hi + 0.3;
    // 500 samples x 3 metrics: s ~ 4.15, allowed ~ 4.15 * 1.03 * sqrt 2 ~ 6.0 Hz, wider than the band's 5 Hz.
    const pairs = Array.from({ length: 500 }, (_, k) => ({ treated: sample(20 * k, k === 3 ? x : 10), control: sample(20 * k, 10), fromMs: 20 * k - 20 }));
    const d = checkDuring({ pairs, bands, judged: isHealthMetric, tolerance, alpha: 0.05 });
    assert.equal(d.held, true, JSON.stringify(d.excursions));
    // ... and a long experiment still fails on a deviation beyond it.
    const far = pairs.map((p, k) => (k === 400 ? { ...p, treated: sample(p.treated.tMs, 16.5) } : p));
    assert.equal(checkDuring({ pairs: far, bands, judged: isHealthMetric, tolerance, alpha: 0.05 }).held, false);
  });

  it('against the baseline mean (baseline controls) the spread is one sd, not sqrt(2)', () => {
    const pairs = Array.from({ length: 10 }, (_, k) => ({ treated: sample(20 * k, 10), control: null, fromMs: 20 * k - 20 }));
    const d = checkDuring({ pairs, bands, judged: isHealthMetric, tolerance: { sigmas: 3, relative: 0 }, alpha: 0.05 });
    assert.equal(d.reference, 'baseline-mean');
    const wide = checkDuring({ pairs: pairs.map((p) => ({ ...p, control: sample(p.treated.tMs, 10) })), bands, judged: isHealthMetric, tolerance: { sigmas: 3, relative: 0 }, alpha: 0.05 });
    const at = (x: number) => checkDuring({ pairs: [{ ...pairs[0], treated: sample(20, 10 + x) }, ...pairs.slice(1)], bands, judged: isHealthMetric, tolerance: { sigmas: 3, relative: 0 }, alpha: 0.05 }).held;
    const sd = bands['rate.E'].sd;
    assert.equal(at(d.sigmas * sd * 0.99), true);
    assert.equal(at(d.sigmas * sd * 1.01), false);
    assert.equal(wide.sigmas, d.sigmas);
  });

  it('any non-finite value the control lacks is out, whatever the statistics', () => {
    const pairs = Array.from({ length: 100 }, (_, k) => ({ treated: sample(20 * k, 10, 1, k === 50 ? 1 : 0), control: sample(20 * k, 10), fromMs: 20 * k - 20 }));
    const d = checkDuring({ pairs, bands, judged: isHealthMetric, tolerance, alpha: 0.05 });
    assert.equal(d.held, false);
    assert.equal(d.excursions[0].metric, 'nonFinite');
    assert.match(duringReason(d)!, /nonFinite was 1 at 980-1000 ms against 0 in its paired control over the same interval \(any non-finite value its control lacks is out\)/);
  });

  it('a storm: the verdict names the metric, the interval, both values and the rule', () => {
    const pairs = Array.from({ length: 5 }, (_, k) => ({ treated: sample(500 + 20 * k, 250), control: sample(500 + 20 * k, 10), fromMs: 480 + 20 * k }));
    const d = checkDuring({ pairs, bands, judged: isHealthMetric, tolerance, alpha: 0.05 });
    assert.equal(d.excursionCount, 5);
    const reason = duringReason(d)!;
    assert.match(reason, /^the steady state did not hold while the fault acted: rate\.E was 250 at 480-500 ms against 10 in its paired control over the same interval \(allowed \+-[\d.]+: [\d.]+ baseline sd x sqrt\(2\), family-wise alpha 0\.05 over 5 samples x 3 metrics\); 5 sample-metric excursions in all$/);
    const inputs: VerdictInputs = {
      status: 'completed',
      hypothesis: { before: true, during: false, after: true },
      recovery: { recovered: true, simMs: 40, wallMs: 10, slaMet: true },
      durations: { warmupMs: 0, baselineMs: 100, observationMs: 100, recoveryTimeoutMs: 600, holdMs: 40, slaMs: 30000, monitorIntervalMs: 20 },
      steps: [{ name: 'observe', startedAt: '', endedAt: '', durationMs: 0, status: 'succeeded', output: { steadyState: d } }],
    };
    assert.deepEqual(experimentVerdict(inputs).reasons, [reason]);
  });
});
