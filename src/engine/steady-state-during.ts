import { probit } from 'simple-statistics';
import type { Tolerance } from './scenario-schema.js';
import { metricValues, type MetricSample } from './metrics.js';
import { bandHalfWidth, type Band } from './steady-state.js';

/** Excursions kept in the journal (the count is always whole). */
const EXCURSIONS_KEPT = 20;

/** One sample of one metric outside what the check allows. */
export interface DuringExcursion {
  metric: string;
  /** Simulated ms the sample covers. */
  fromMs: number;
  toMs: number;
  /** The treated replicas' value, and what it was compared with: the paired controls' value over the same interval, or the baseline mean. */
  treated: number;
  reference: number;
  /** The largest |treated - reference| allowed. */
  allowedDeviation: number;
}

/** The steady-state check while the fault acted (the journal's `observe` step output, `steadyState`). */
export interface DuringCheck {
  /** What each treated sample is compared with: the paired controls' sample over the same interval, or the baseline mean (baseline controls). */
  reference: 'paired-control' | 'baseline-mean';
  /** Samples that overlapped the fault (from injection to its end), and metrics checked in each. */
  samples: number;
  metrics: number;
  /** The family-wise error rate the multiplier holds (the judge's alpha). */
  alpha: number;
  /** The baseline sd multiplier: max(tolerance.sigmas, the normal quantile 1 - alpha / (2 * samples * metrics)). */
  sigmas: number;
  /** Every sample x metric out (the first EXCURSIONS_KEPT kept; count is the whole). */
  excursions: DuringExcursion[];
  excursionCount: number;
  held: boolean;
}

/** What the check reads: the samples that overlapped the fault, each with its paired control's sample over the same interval (null: baseline controls). */
export interface DuringInputs {
  pairs: readonly { treated: MetricSample; control: MetricSample | null; fromMs: number }[];
  bands: Record<string, Band>;
  judged: (metric: string) => boolean;
  tolerance: Tolerance;
  alpha: number;
}

/**
 * The steady-state hypothesis while the fault acted, as a test with a
 * family-wise error rate: a sample of a judged metric fails it when it
 * deviates from its reference by more than max(s * sd * f, relative *
 * |mean|, floor), where sd and mean are the baseline's, f is sqrt(2) for a
 * paired control (the difference of two samples of the same column) and 1
 * against the baseline mean, and s is the larger of `tolerance.sigmas` and
 * the standard normal quantile at 1 - alpha / (2 n m) over the n samples and
 * m metrics checked (Bonferroni: under the null, every sample of every metric
 * stays inside with probability at least 1 - alpha, for normal deviations).
 * A fixed 3 sd band with no pairing (round 1) failed long experiments by
 * chance: 500 samples of 10 metrics each make 5000 chances to cross it.
 * Non-finite state needs no statistics: a deterministic simulation never makes
 * one by chance, so any non-finite value in a treated sample that its control
 * lacks is out.
 */
export function checkDuring(i: DuringInputs): DuringCheck {
  const paired = i.pairs.length > 0 && i.pairs.every((p) => p.control !== null);
  const metrics = i.pairs.length ? Object.keys(metricValues(i.pairs[0].treated)).filter((k) => i.judged(k) && i.bands[k]) : [];
  const tests = Math.max(1, i.pairs.length * metrics.length);
  const sigmas = Math.max(i.tolerance.sigmas, probit(1 - i.alpha / (2 * tests)));
  const spread = paired ? Math.SQRT2 : 1;
  const excursions: DuringExcursion[] = [];
  let excursionCount = 0;
  for (const p of i.pairs) {
    const t = metricValues(p.treated);
    const c = p.control ? metricValues(p.control) : null;
    for (const k of metrics) {
      const b = i.bands[k];
      const reference = c ? c[k] : b.mean;
      const allowed = bandHalfWidth(k, b.mean, b.sd * spread, sigmas, i.tolerance.relative);
      const x = t[k];
      const out = !Number.isFinite(x) || (k === 'nonFinite' ? x > reference : Math.abs(x - reference) > allowed);
      if (!out) continue;
      excursionCount++;
      if (excursions.length < EXCURSIONS_KEPT) excursions.push({ metric: k, fromMs: p.fromMs, toMs: p.treated.tMs, treated: x, reference, allowedDeviation: allowed });
    }
  }
  return { reference: paired ? 'paired-control' : 'baseline-mean', samples: i.pairs.length, metrics: metrics.length, alpha: i.alpha, sigmas, excursions, excursionCount, held: excursionCount === 0 };
}

/** The first excursion as a verdict reason (null when the check held). */
export function duringReason(d: DuringCheck): string | null {
  if (d.held || !d.excursions.length) return null;
  const e = d.excursions[0];
  const fmt = (x: number) => (!Number.isFinite(x) || Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const against = d.reference === 'paired-control' ? 'its paired control over the same interval' : 'the baseline mean';
  const rule = e.metric === 'nonFinite' ? 'any non-finite value its control lacks is out' : `allowed +-${fmt(e.allowedDeviation)}: ${d.sigmas.toFixed(2)} baseline sd${d.reference === 'paired-control' ? ' x sqrt(2)' : ''}, family-wise alpha ${d.alpha} over ${d.samples} samples x ${d.metrics} metrics`;
  const more = d.excursionCount > 1 ? `; ${d.excursionCount} sample-metric excursions in all` : '';
  return `the steady state did not hold while the fault acted: ${e.metric} was ${fmt(e.treated)} at ${fmt(e.fromMs)}-${fmt(e.toMs)} ms against ${fmt(e.reference)} in ${against} (${rule})${more}`;
}
