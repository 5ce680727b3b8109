import { mean, probit, quantileSorted, sampleStandardDeviation } from 'simple-statistics';
import { StreamRng } from '../util/rng.js';
import type { MeasureValue, ValueRange } from './measures.js';

/** A point's summary: the mean and a 95% interval that stays in the measure's range. */
export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  /** Trials (jobs) behind it. */
  n: number;
  method: 'wilson' | 'bootstrap' | 't' | 'single';
}

const Z95 = probit(0.975);

/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom (beyond 30: the normal's). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

/**
 * Wilson score interval of a proportion k of n at 95% (E. B. Wilson, J. Am.
 * Stat. Assoc. 22:209-212, 1927): inside [0, 1] for every k, and sound at 0
 * or n successes where the normal interval collapses to a point.
 */
export function wilson(k: number, n: number): { p: number; lo: number; hi: number } {
  if (n <= 0) return { p: NaN, lo: NaN, hi: NaN };
  const p = k / n;
  const z2 = Z95 * Z95;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (Z95 / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { p, lo: Math.max(0, centre - half), hi: Math.min(1, centre + half) };
}

/**
 * Percentile bootstrap 95% interval of the mean (2000 resamples, seeded by
 * `seedKey` so the same values give the same interval): it stays within the
 * values' own range, so a measure >= 0 gets an interval >= 0.
 */
export function bootstrapMean(values: number[], seedKey: string, resamples = 2000): { lo: number; hi: number } {
  const rng = new StreamRng(`campaign-bootstrap:${seedKey}`);
  const n = values.length;
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += values[rng.below(n)];
    means[r] = s / n;
  }
  const sorted = Array.from(means).sort((a, b) => a - b);
  return { lo: quantileSorted(sorted, 0.025), hi: quantileSorted(sorted, 0.975) };
}

/**
 * The mean of one point's trials and its 95% interval by the measure's range:
 * proportions pool their counts into a Wilson interval; values >= 0 get a
 * percentile bootstrap (never below 0); signed values a Student t interval.
 */
export function summarize(values: MeasureValue[], range: ValueRange, seedKey: string): Interval {
  const xs = values.map((v) => v.value).filter(Number.isFinite);
  const n = xs.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, n: 0, method: 'single' };
  if (range === 'proportion') {
    const k = values.reduce((a, v) => a + (v.count ?? v.value), 0);
    const of = values.reduce((a, v) => a + (v.of ?? 1), 0);
    const w = wilson(k, of);
    return { mean: w.p, lo: w.lo, hi: w.hi, n, method: 'wilson' };
  }
  const m = mean(xs);
  if (n < 2) return { mean: m, lo: m, hi: m, n, method: 'single' };
  if (range === 'nonneg') {
    const b = bootstrapMean(xs, seedKey);
    return { mean: m, lo: Math.max(0, b.lo), hi: b.hi, n, method: 'bootstrap' };
  }
  const half = (T95[n - 2] ?? Z95) * (sampleStandardDeviation(xs) / Math.sqrt(n));
  return { mean: m, lo: m - half, hi: m + half, n, method: 't' };
}
