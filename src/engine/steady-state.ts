import type { Tolerance } from './scenario-schema.js';
import { metricValues, type MetricSample } from './metrics.js';

export interface Band {
  mean: number;
  sd: number;
  lo: number;
  hi: number;
}

/**
 * Absolute floors of each band: below them, noise of a few spikes or a busy
 * neighbour on the machine would read as a deviation.
 */
const ABSOLUTE_FLOOR: Record<string, number> = { synchrony: 1, nonFinite: 0 };
const RATE_FLOOR_HZ = 1;

/** Steady-state bands from the baseline samples: mean +- max(sigmas * sd, relative * |mean|, floor). */
export function baselineBands(samples: MetricSample[], tol: Tolerance): Record<string, Band> {
  const bands: Record<string, Band> = {};
  // Each sample's values once, and plain loops: a closure per key was compiled again in every campaign job.
  const values = samples.map(metricValues);
  const keys = Object.keys(values[0]);
  const xs = new Float64Array(values.length);
  for (const k of keys) {
    for (let i = 0; i < values.length; i++) xs[i] = values[i][k];
    let sum = 0;
    for (let i = 0; i < xs.length; i++) sum += xs[i];
    const mean = sum / xs.length;
    let squares = 0;
    for (let i = 0; i < xs.length; i++) squares += (xs[i] - mean) ** 2;
    const sd = Math.sqrt(squares / Math.max(1, xs.length - 1));
    const half = bandHalfWidth(k, mean, sd, tol.sigmas, tol.relative);
    // Every metric is a count, a rate or a size: a band never reaches below zero.
    bands[k] = { mean, sd, lo: Math.max(0, mean - half), hi: mean + half };
  }
  return bands;
}

/**
 * Half-width of a metric's band: max(sigmas * sd, relative * |mean|, the
 * metric's floor); 0 for the non-finite count (any non-finite value is out).
 * @param sd the spread the sigmas multiply (the baseline's sd, or a difference's)
 */
export function bandHalfWidth(metric: string, mean: number, sd: number, sigmas: number, relative: number): number {
  if (metric === 'nonFinite') return 0;
  const floor = metric.startsWith('rate.') ? RATE_FLOOR_HZ : (ABSOLUTE_FLOOR[metric] ?? 0);
  return Math.max(sigmas * sd, relative * Math.abs(mean), floor);
}

/** Metrics of a sample outside their bands (by name). */
export function outOfBand(sample: MetricSample, bands: Record<string, Band>, only?: (metric: string) => boolean): string[] {
  const out: string[] = [];
  for (const [k, x] of Object.entries(metricValues(sample))) {
    if (only && !only(k)) continue;
    const b = bands[k];
    if (b && (x < b.lo || x > b.hi || !Number.isFinite(x))) out.push(k);
  }
  return out;
}

/** Health metrics: what the network computes (rates, synchrony) and whether its state stays finite. */
export const isHealthMetric = (k: string) => k.startsWith('rate.') || k === 'synchrony' || k === 'nonFinite';
