import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricSample } from '../../src/engine/metrics.js';
import { checkDuring, DEPARTURE_SAMPLES, duringReason, type DuringCheck } from '../../src/engine/steady-state-during.js';
import { baselineBands, isHealthMetric } from '../../src/engine/steady-state.js';
import { experimentVerdict, type VerdictInputs } from '../../src/engine/verdict.js';

const tolerance = { sigmas: 3, relative: 0.5 };

function sample(tMs: number, rates: { E: number; I?: number }, synchrony = 1, nonFinite = 0): MetricSample {
  return { tMs, wallMs: 0, phase: 'fault', ratesHz: { E: rates.E, I: rates.I ?? 0.2 }, synchrony, stepsPerSecond: 1000, stepLatencyMs: 1, workerRestarts: 0, memoryBytes: 0, nonFinite };
}

/**
 * A bursty baseline, as a small column's 20 ms samples are: E mostly 5-10 Hz with one burst to 40 Hz;
 * I quiet at 0.2 Hz (a flat range); synchrony 1-2.
 */
const baseline = Array.from({ length: 20 }, (_, k) => ({ ...sample(20 * (k + 1), { E: k === 7 ? 40 : k % 2 ? 10 : 5 }, k % 2 ? 2 : 1), phase: 'baseline' as const }));
const bands = baselineBands(baseline, tolerance);
const controls = Array.from({ length: 50 }, (_, k) => sample(400 + 20 * k, { E: k % 2 ? 10 : 5 }, 1.5));

/** The treated samples over the fault: E at `e(k)` Hz in sample k, each with its control. */
function fault(n: number, e: (k: number) => number, extra: Partial<{ I: (k: number) => number; nonFinite: (k: number) => number }> = {}) {
  return Array.from({ length: n }, (_, k) => ({
    treated: sample(400 + 20 * (k + 1), { E: e(k), I: extra.I?.(k) }, 1.5, extra.nonFinite?.(k) ?? 0),
    control: controls[k % controls.length],
    fromMs: 400 + 20 * k,
  }));
}

const check = (pairs: ReturnType<typeof fault>, unfaulted: MetricSample[] = [...baseline, ...controls]): DuringCheck => checkDuring({ pairs, unfaulted, bands, judged: isHealthMetric, tolerance, minSamples: DEPARTURE_SAMPLES });

describe('steady state while the fault acted (checkDuring)', () => {
  it('allows the unfaulted range widened by its own width on each side: a burst as large as the baseline one, or a bit larger, passes', () => {
    // E's unfaulted range is 5-40 Hz (the baseline's burst): allowed 0-75 Hz.
    const d = check(fault(50, (k) => (k === 10 || k === 30 ? 70 : 8)));
    assert.equal(d.held, true, JSON.stringify(d.excursions));
    assert.equal(d.metrics, 4, 'rate.E, rate.I, synchrony, nonFinite');
    assert.equal(d.unfaultedSamples, 70);
    assert.equal(d.reference, 'baseline-and-paired-control');
  });

  it('one sample beyond the range is the column bursting; two are a departure, named with its span, peak and control', () => {
    assert.equal(check(fault(50, (k) => (k === 10 ? 90 : 8))).held, true);
    const d = check(fault(50, (k) => (k === 10 ? 90 : k === 31 ? 120 : 8)));
    assert.equal(d.held, false);
    assert.equal(d.excursionCount, 1);
    const e = d.excursions[0];
    assert.deepEqual({ metric: e.metric, samples: e.samples, fromMs: e.fromMs, toMs: e.toMs, treated: e.treated, control: e.control, allowed: e.allowed }, { metric: 'rate.E', samples: 2, fromMs: 600, toMs: 1040, treated: 120, control: 10, allowed: [0, 75] });
    assert.equal(d.samplesInside, 48);
    assert.equal(
      duringReason(d),
      "the steady state did not hold while the fault acted: rate.E was outside 0-75 Hz (the range of the unfaulted column's 70 samples, baseline and paired controls, widened by its own width on each side) in 2 of its 50 samples, 600-1040 ms, up to 120 Hz; its paired control 10 Hz",
    );
  });

  it('a flat range (a quiet population) is widened by the band half-width instead: max(3 sd, 50% of the mean, 1 Hz)', () => {
    // I is 0.2 Hz everywhere unfaulted: allowed 0-1.2 Hz (the 1 Hz floor).
    assert.equal(check(fault(10, () => 8, { I: (k) => (k < 3 ? 1.1 : 0.2) })).held, true);
    const d = check(fault(10, () => 8, { I: (k) => (k < 3 ? 1.3 : 0.2) }));
    assert.deepEqual(d.excursions.map((e) => [e.metric, e.samples, e.allowed[1]]), [['rate.I', 3, 1.2]]);
  });

  it('a silenced population is a departure only where the unfaulted range stays far from zero; a bursty one reaches 0 Hz and passes (left to the judge)', () => {
    const steady = Array.from({ length: 40 }, (_, k) => ({ ...sample(20 * (k + 1), { E: 20 + (k % 3) }), phase: 'baseline' as const }));
    const d = checkDuring({ pairs: fault(5, () => 0), unfaulted: steady, bands: baselineBands(steady, tolerance), judged: isHealthMetric, tolerance, minSamples: DEPARTURE_SAMPLES });
    // E's range 20-22 Hz widened by max(2, 3 sd, 50% of the mean 20.98, 1) = 10.49: 9.51-32.5 Hz.
    assert.deepEqual(d.excursions.map((e) => [e.metric, e.samples, e.widenedBy]), [['rate.E', 5, 'band']]);
    assert.equal(d.samplesInside, 0);
    assert.match(duringReason(d)!, /rate\.E was outside 9\.5\d-32\.5 Hz \(.*, widened by the band's half-width\) in 5 of its 5 samples, 400-500 ms, down to 0 Hz; its paired control 5 Hz$/);
    // The bursty baseline's E runs 5-40 Hz: widened by 35, its range starts at 0.
    assert.equal(check(fault(5, () => 0)).held, true);
  });

  it("health's sample part counts only a departure's samples: one lone burst lowers nothing", () => {
    assert.equal(check(fault(10, (k) => (k === 3 ? 90 : 8))).samplesInside, 10);
    assert.equal(check(fault(10, (k) => (k === 3 || k === 6 ? 90 : 8))).samplesInside, 8);
  });

  it('the first departure named is the earliest, among more metrics than the journal keeps', () => {
    const names = Array.from({ length: 25 }, (_, k) => `P${String(k).padStart(2, '0')}`);
    const s = (tMs: number, r: (name: string) => number): MetricSample => ({ tMs, wallMs: 0, phase: 'fault', ratesHz: Object.fromEntries(names.map((n) => [n, r(n)])), synchrony: 1, stepsPerSecond: 1, stepLatencyMs: 1, workerRestarts: 0, memoryBytes: 0, nonFinite: 0 });
    const base = Array.from({ length: 20 }, (_, k) => ({ ...s(20 * (k + 1), () => (k % 2 ? 10 : 5)), phase: 'baseline' as const }));
    // P24 departs from the first sample; every other population from the fifth.
    const pairs = Array.from({ length: 10 }, (_, k) => ({ treated: s(400 + 20 * (k + 1), (n) => (n === 'P24' || k >= 4 ? 100 : 8)), control: s(400 + 20 * (k + 1), () => 8), fromMs: 400 + 20 * k }));
    const d = checkDuring({ pairs, unfaulted: base, bands: baselineBands(base, tolerance), judged: isHealthMetric, tolerance, minSamples: DEPARTURE_SAMPLES });
    assert.equal(d.excursionCount, 25);
    assert.equal(d.excursions.length, 20);
    assert.equal(d.excursions[0].metric, 'rate.P24');
    assert.match(duringReason(d)!, /; 24 more departures: rate\.P00, .*, \.\.\.$/);
  });

  it('more non-finite values than the unfaulted column ever had are out, in one sample, without statistics; fewer are not', () => {
    const d = check(fault(100, () => 8, { nonFinite: (k) => (k === 50 ? 1 : 0) }));
    assert.equal(d.held, false);
    assert.deepEqual(d.excursions.map((e) => [e.metric, e.samples, e.treated]), [['nonFinite', 1, 1]]);
    assert.match(duringReason(d)!, /nonFinite was above 0 \(the range of .*\) in the sample at 1400-1420 ms, up to 1; its paired control 0$/);
    const withSome = [...baseline, ...controls.map((c, k) => (k === 3 ? { ...c, nonFinite: 5 } : c))];
    assert.equal(check(fault(10, () => 8, { nonFinite: () => 3 }), withSome).held, true, 'one-sided, as the non-finite probe');
  });

  it('a missing or non-finite value is out, and said so', () => {
    const pairs = fault(5, () => 8).map((p, k) => (k >= 3 ? { ...p, treated: { ...p.treated, ratesHz: { I: 0.2 } } as MetricSample } : p));
    const d = check(pairs);
    assert.equal(d.excursions[0].metric, 'rate.E');
    assert.match(duringReason(d)!, /in 2 of its 5 samples, 460-500 ms, a non-finite value; its paired control 10 Hz$/);
  });

  it('with baseline controls the range is the baseline alone', () => {
    const pairs = fault(10, (k) => (k < 2 ? 80 : 8)).map((p) => ({ ...p, control: null }));
    const d = checkDuring({ pairs, unfaulted: baseline, bands, judged: isHealthMetric, tolerance, minSamples: DEPARTURE_SAMPLES });
    assert.equal(d.reference, 'baseline');
    assert.equal(d.excursions[0].control, null);
    assert.match(duringReason(d)!, /the range of the baseline's 20 samples, widened .* up to 80 Hz$/);
  });

  it('the verdict: a failed check gives its reason; a held check with during false (a probe failed over the fault) adds none; a journal without the check keeps the generic reason', () => {
    const failed = check(fault(5, () => 200));
    const inputs = (d: DuringCheck | null): VerdictInputs => ({
      status: 'completed',
      hypothesis: { before: true, during: false, after: true },
      recovery: { recovered: true, simMs: 40, wallMs: 10, slaMet: true },
      durations: { warmupMs: 0, baselineMs: 100, observationMs: 100, recoveryTimeoutMs: 600, holdMs: 40, slaMs: 30000, monitorIntervalMs: 20 },
      steps: d ? [{ name: 'observe', startedAt: '', endedAt: '', durationMs: 0, status: 'succeeded', output: { steadyState: d } }] : [],
    });
    assert.deepEqual(experimentVerdict(inputs(failed)).reasons, [duringReason(failed)]);
    assert.match(experimentVerdict(inputs(failed)).reasons[0], /rate\.E was outside 0-75 Hz .* in 5 of its 5 samples, 400-500 ms, up to 200 Hz; its paired control 5 Hz$/);
    const probeFailed = { ...inputs(check(fault(5, () => 8))), judge: { controls: 'replicas' as const, minEffect: 0.1, alpha: 0.05, minExpectedSpikes: 200, controlSpanMs: [0, 100] as [number, number], treatedSpanMs: [0, 100] as [number, number], probes: [] } };
    const withProbe = experimentVerdict({ ...probeFailed, judge: { ...probeFailed.judge, probes: [{ id: 'rate.E', metric: 'rate', when: 'during', tolerance: 0.1, outcome: 'fail', reason: 'changed by -50%', effect: -0.5, ci95: [-0.6, -0.4], pValue: 0.001, pAdjusted: 0.01, controlMean: 10, treatedMean: 5, controlWindows: 5, treatedWindows: 5, windowMs: 20, controlSpanMs: [0, 100], treatedSpanMs: [0, 100] }] } } as unknown as VerdictInputs);
    assert.equal(withProbe.reasons.length, 1, 'the probe reason alone');
    assert.match(withProbe.reasons[0], /^probe rate\.E failed during the fault/);
    assert.deepEqual(experimentVerdict(probeFailed).reasons, ['the steady state did not hold during the observation window'], 'during false with nothing to show for it still fails, generically');
    assert.deepEqual(experimentVerdict(inputs(null)).reasons, ['the steady state did not hold during the observation window']);
  });
});
