import type { Tolerance } from './scenario-schema.js';
import { metricValues, type MetricSample } from './metrics.js';
import { bandHalfWidth, type Band } from './steady-state.js';

/** Excursions kept in the journal (the count is always whole). */
const EXCURSIONS_KEPT = 20;

/** A departure: one metric outside what the check allows in at least `minSamples` of the samples that overlapped the fault. */
export interface DuringExcursion {
  metric: string;
  /** Simulated ms from the start of its first sample out to the end of its last, and how many samples were out. */
  fromMs: number;
  toMs: number;
  samples: number;
  /** The treated replicas' value farthest outside (its peak), and the paired controls' value over that same sample (null: baseline controls). */
  treated: number;
  control: number | null;
  /** The range allowed: every value the unfaulted column took, widened on each side by its own width (or the band's half-width). */
  allowed: [number, number];
}

/** The steady-state check while the fault acted (the journal's `observe` step output, `steadyState`). */
export interface DuringCheck {
  /** What the unfaulted range was drawn from: the baseline and the paired controls' samples over the observation, or the baseline alone (baseline controls). */
  reference: 'baseline-and-paired-control' | 'baseline';
  /** Treated samples that overlapped the fault (from injection to its end), unfaulted samples the range was drawn from, and metrics checked in each. */
  samples: number;
  unfaultedSamples: number;
  metrics: number;
  /** Samples a metric must be out in for a departure (non-finite state: one). */
  minSamples: number;
  /** Every departure (the first EXCURSIONS_KEPT kept; excursionCount is the whole). */
  excursions: DuringExcursion[];
  excursionCount: number;
  /** Samples with every metric inside its range (health's sample part reads samplesInside / samples). */
  samplesInside: number;
  held: boolean;
}

/** What the check reads. */
export interface DuringInputs {
  /** The treated samples that overlapped the fault, each with its paired controls' sample over the same interval (null: baseline controls), and where it starts. */
  pairs: readonly { treated: MetricSample; control: MetricSample | null; fromMs: number }[];
  /** Samples of the unfaulted column: the baseline's, and the paired controls' over the whole observation. */
  unfaulted: readonly MetricSample[];
  bands: Record<string, Band>;
  judged: (metric: string) => boolean;
  tolerance: Tolerance;
  /** Samples out that make a departure (>= 1; the observe phase: DEPARTURE_SAMPLES). */
  minSamples: number;
}

/**
 * The gross-departure check while the fault acted: a judged metric fails it
 * when its treated samples stay, for `minSamples` consecutive samples (the
 * observe phase: max(2, holdMs), as recovery needs holdMs in band to end a
 * departure), outside the range of every value the
 * unfaulted column took (the baseline's samples and the paired controls'
 * over the whole observation) widened on each side by the range's own width
 * (or by the band's half-width, max(sigmas * sd, relative * |mean|, floor),
 * where that is wider): a storm that drives a population to several times
 * anything its unfaulted twin did, or a population silenced. It is made for
 * departures too short for the judge's windows; the judge's probes test the
 * smaller ones with a family-wise error rate, and a failing `during` probe
 * fails `hypothesis.during` too (see scoreAndRecord).
 *
 * Why so wide: at 20 ms a small column's rates burst (L4I between 2 and
 * 90 Hz in the scale-0.02 microcircuit), so the baseline's sd badly
 * understates its tails. Measured on the A/A benchmark (20 trials, 2 s): a
 * 3 sd band around the paired control's sample at a Bonferroni-corrected
 * quantile failed 14 of 20 twins, the unfaulted range widened by the band's
 * half-width 7 of 20, widened by its own width 3 of 60, each on a single
 * 20 ms burst of L6E; two samples out are needed (docs/verdicts.md).
 *
 * Non-finite state needs no statistics: a deterministic simulation never makes
 * one by chance, so any non-finite value the unfaulted column never had is out.
 */
export function checkDuring(i: DuringInputs): DuringCheck {
  const paired = i.pairs.length > 0 && i.pairs.every((p) => p.control !== null);
  const metrics = i.pairs.length ? Object.keys(metricValues(i.pairs[0].treated)).filter((k) => i.judged(k) && i.bands[k]) : [];
  const range = new Map<string, [number, number]>();
  for (const k of metrics) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const u of i.unfaulted) {
      const x = metricValues(u)[k];
      if (!Number.isFinite(x)) continue;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    const b = i.bands[k];
    if (lo > hi) [lo, hi] = [b.mean, b.mean];
    // Widened by its own width, or the band's half-width where that is wider (a flat range: a quiet population).
    const widen = Math.max(hi - lo, bandHalfWidth(k, b.mean, b.sd, i.tolerance.sigmas, i.tolerance.relative));
    // Every metric is a count, a rate or a size: the range never reaches below zero.
    range.set(k, k === 'nonFinite' ? [lo, hi] : [Math.max(0, lo - widen), hi + widen]);
  }
  const excursions: DuringExcursion[] = [];
  let excursionCount = 0;
  for (const k of metrics) {
    const [lo, hi] = range.get(k)!;
    const need = k === 'nonFinite' ? 1 : Math.max(1, i.minSamples);
    let e: DuringExcursion | null = null;
    let peakOut = 0;
    for (const p of i.pairs) {
      const x = metricValues(p.treated)[k];
      const outBy = !Number.isFinite(x) ? Infinity : x < lo ? lo - x : x > hi ? x - hi : 0;
      if (outBy === 0) continue;
      e ??= { metric: k, fromMs: p.fromMs, toMs: p.treated.tMs, samples: 0, treated: x, control: null, allowed: [lo, hi] };
      e.samples++;
      e.toMs = p.treated.tMs;
      if (outBy > peakOut) {
        peakOut = outBy;
        e.treated = x;
        e.control = p.control ? metricValues(p.control)[k] : null;
      }
    }
    if (e && e.samples >= need) {
      excursionCount++;
      if (excursions.length < EXCURSIONS_KEPT) excursions.push(e);
    }
  }
  const samplesInside = i.pairs.filter((p) => {
    const t = metricValues(p.treated);
    return metrics.every((k) => {
      const [lo, hi] = range.get(k)!;
      return Number.isFinite(t[k]) && t[k] >= lo && t[k] <= hi;
    });
  }).length;
  excursions.sort((a, b) => a.fromMs - b.fromMs || a.metric.localeCompare(b.metric));
  return { reference: paired ? 'baseline-and-paired-control' : 'baseline', samples: i.pairs.length, unfaultedSamples: i.unfaulted.length, metrics: metrics.length, minSamples: i.minSamples, excursions, excursionCount, samplesInside, held: excursionCount === 0 };
}

/**
 * Samples of one metric out of its range that make a departure: two. One is
 * the column's own bursting (the A/A benchmark, 60 twins over 2 s: three had
 * one 20 ms sample of L6E out, none had two); a 100 ms storm into L4E at
 * scale 0.05 puts three of its five samples out.
 */
export const DEPARTURE_SAMPLES = 2;

/** The first excursion as a verdict reason (null when the check held). */
export function duringReason(d: DuringCheck): string | null {
  if (d.held || !d.excursions.length) return null;
  const e = d.excursions[0];
  const fmt = (x: number) => (!Number.isFinite(x) || Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const control = e.control === null ? '' : ` (its paired control ${fmt(e.control)})`;
  const from = d.reference === 'baseline' ? `the baseline's ${d.unfaultedSamples} samples` : `the unfaulted column's ${d.unfaultedSamples} samples (baseline and paired controls)`;
  const more = d.excursionCount > 1 ? `; ${d.excursionCount} departures in all` : '';
  const span = e.samples === 1 ? `in the sample at ${fmt(e.fromMs)}-${fmt(e.toMs)} ms` : `in ${e.samples} of its ${d.samples} samples, ${fmt(e.fromMs)}-${fmt(e.toMs)} ms`;
  return `the steady state did not hold while the fault acted: ${e.metric} was outside ${fmt(e.allowed[0])}-${fmt(e.allowed[1])} (the range of ${from}, widened by its own width on each side) ${span}, at most ${fmt(e.treated)}${control}${more}`;
}
