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
  /** The range allowed: every value the unfaulted column took, widened on each side by its own width (or the band's half-width); non-finite counts: no lower end. */
  allowed: [number, number];
  /** What widened it: the range's own width, or the band's half-width (wider, or no unfaulted sample). */
  widenedBy: 'range' | 'band';
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
  /** Samples in which no departing metric is out of its range (health's sample part reads samplesInside / samples). */
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
 * when at least `minSamples` of its treated samples that overlapped the
 * fault (DEPARTURE_SAMPLES, consecutive or not) lie outside the range of
 * every value the unfaulted column took (the baseline's samples and the
 * paired controls' over the whole observation) widened on each side by the
 * range's own width (or by the band's half-width, max(sigmas * sd, relative
 * * |mean|, floor), where that is wider): a storm that drives a population
 * to several times anything its unfaulted twin did. It is made for
 * departures too short for the judge's windows; the judge's probes test the
 * smaller ones with a family-wise error rate, and a failing `during` probe
 * fails `hypothesis.during` too (see scoreAndRecord).
 *
 * In practice it is one-sided for rates: the widened range reaches down to
 * 0 Hz whenever the unfaulted minimum is below half the maximum, which a
 * bursty column's 20 ms samples always are, so a silenced population passes
 * it; silence is the judge's (active-fraction and rate probes, which need
 * their 200-spike windows: a longer fault or more judge.trials).
 *
 * Why so wide: at 20 ms a small column's rates burst (L4I between 2 and
 * 90 Hz in the scale-0.02 microcircuit), so the baseline's sd badly
 * understates its tails. Measured on the A/A benchmark (2 s): a 3 sd band
 * around the paired control's sample at a Bonferroni-corrected quantile
 * failed 14 of 20 twins, the unfaulted range widened by the band's
 * half-width 7 of 20, widened by its own width with one sample out 3 of 60
 * (each a single 20 ms burst of L6E), with two samples out 0 of 60
 * (docs/verdicts.md).
 *
 * Non-finite state needs no statistics: a deterministic simulation never makes
 * one by chance, so more non-finite values than the unfaulted column ever had
 * is out in a single sample.
 */
export function checkDuring(i: DuringInputs): DuringCheck {
  const paired = i.pairs.length > 0 && i.pairs.every((p) => p.control !== null);
  // Each sample's metrics, read once.
  const treated = i.pairs.map((p) => metricValues(p.treated));
  const controls = i.pairs.map((p) => (p.control ? metricValues(p.control) : null));
  const unfaulted = i.unfaulted.map(metricValues);
  const metrics = treated.length ? Object.keys(treated[0]).filter((k) => i.judged(k) && i.bands[k]) : [];
  const range = new Map<string, { allowed: [number, number]; widenedBy: DuringExcursion['widenedBy'] }>();
  for (const k of metrics) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const u of unfaulted) {
      const x = u[k];
      if (!Number.isFinite(x)) continue;
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    const b = i.bands[k];
    const empty = lo > hi;
    if (empty) [lo, hi] = [b.mean, b.mean];
    // Widened by its own width, or the band's half-width where that is wider (a flat range: a quiet population).
    const half = bandHalfWidth(k, b.mean, b.sd, i.tolerance.sigmas, i.tolerance.relative);
    const widenedBy: DuringExcursion['widenedBy'] = empty ? 'band' : hi - lo >= half ? 'range' : 'band';
    const widen = Math.max(hi - lo, half);
    // Every metric is a count, a rate or a size: the range never reaches below zero. Non-finite counts are one-sided
    // (more than the unfaulted column ever had), as the judge's non-finite probe is.
    range.set(k, { allowed: k === 'nonFinite' ? [-Infinity, hi] : [Math.max(0, lo - widen), hi + widen], widenedBy });
  }
  const departures: DuringExcursion[] = [];
  const departed = new Set<string>();
  for (const k of metrics) {
    const { allowed, widenedBy } = range.get(k)!;
    const [lo, hi] = allowed;
    const need = k === 'nonFinite' ? 1 : Math.max(1, i.minSamples);
    let e: DuringExcursion | null = null;
    let peakOut = 0;
    for (const [n, p] of i.pairs.entries()) {
      const x = treated[n][k];
      // A missing or non-finite value is out, and the farthest out.
      const outBy = typeof x !== 'number' || !Number.isFinite(x) ? Infinity : x < lo ? lo - x : x > hi ? x - hi : 0;
      if (outBy === 0) continue;
      e ??= { metric: k, fromMs: p.fromMs, toMs: p.treated.tMs, samples: 0, treated: x ?? NaN, control: null, allowed, widenedBy };
      e.samples++;
      e.toMs = p.treated.tMs;
      if (outBy > peakOut) {
        peakOut = outBy;
        e.treated = x ?? NaN;
        e.control = controls[n]?.[k] ?? null;
      }
    }
    if (e && e.samples >= need) {
      departures.push(e);
      departed.add(k);
    }
  }
  // Health counts the samples free of any departure's metric: a lone 20 ms burst (no departure) does not lower it.
  const inside = (t: Record<string, number>, k: string) => {
    const [lo, hi] = range.get(k)!.allowed;
    return Number.isFinite(t[k]) && t[k] >= lo && t[k] <= hi;
  };
  const samplesInside = treated.filter((t) => [...departed].every((k) => inside(t, k))).length;
  // Earliest first, then cut: the verdict names the first departure.
  departures.sort((a, b) => a.fromMs - b.fromMs || a.metric.localeCompare(b.metric));
  return {
    reference: paired ? 'baseline-and-paired-control' : 'baseline',
    samples: i.pairs.length,
    unfaultedSamples: i.unfaulted.length,
    metrics: metrics.length,
    minSamples: i.minSamples,
    excursions: departures.slice(0, EXCURSIONS_KEPT),
    excursionCount: departures.length,
    samplesInside,
    held: departures.length === 0,
  };
}

/**
 * Samples of one metric out of its range that make a departure: two. One is
 * the column's own bursting (the A/A benchmark, 60 twins over 2 s: three had
 * one 20 ms sample of L6E out, none had two); a 100 ms storm into L4E at
 * scale 0.05 puts three of its five samples out.
 */
export const DEPARTURE_SAMPLES = 2;

/** Whether a monitor sample starting at `fromStep` overlapped the fault: it started before the fault's end (a fault that has not ended overlaps every sample). */
export function overlapsFault(fromStep: number, faultEndStep: number | null): boolean {
  return faultEndStep === null || fromStep < faultEndStep;
}

/** The first departure as a verdict reason (null when the check held). */
export function duringReason(d: DuringCheck): string | null {
  if (d.held || !d.excursions.length) return null;
  const e = d.excursions[0];
  const fmt = (x: number) => (!Number.isFinite(x) || Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const unit = e.metric.startsWith('rate.') ? ' Hz' : '';
  const value = (x: number | null) => (x === null || Number.isNaN(x) ? 'no finite value' : `${fmt(x)}${unit}`);
  const control = e.control === null ? '' : `; its paired control ${value(e.control)}`;
  const allowed = e.allowed[0] === -Infinity ? `above ${fmt(e.allowed[1])}` : `outside ${fmt(e.allowed[0])}-${fmt(e.allowed[1])}${unit}`;
  const source = d.unfaultedSamples === 0 ? 'the baseline band' : d.reference === 'baseline' ? `the range of the baseline's ${d.unfaultedSamples} samples` : `the range of the unfaulted column's ${d.unfaultedSamples} samples, baseline and paired controls`;
  const widened = e.allowed[0] === -Infinity ? '' : e.widenedBy === 'range' ? ', widened by its own width on each side' : ", widened by the band's half-width";
  const span = e.samples === 1 ? `in the sample at ${fmt(e.fromMs)}-${fmt(e.toMs)} ms` : `in ${e.samples} of its ${d.samples} samples, ${fmt(e.fromMs)}-${fmt(e.toMs)} ms`;
  const below = Number.isFinite(e.treated) && e.treated < e.allowed[0];
  const extreme = Number.isFinite(e.treated) ? `${below ? 'down to' : 'up to'} ${value(e.treated)}` : 'a non-finite value';
  const others = d.excursions.slice(1).map((x) => x.metric);
  const more = d.excursionCount > 1 ? `; ${d.excursionCount - 1} more departure${d.excursionCount > 2 ? 's' : ''}: ${others.join(', ')}${d.excursionCount > d.excursions.length ? ', ...' : ''}` : '';
  return `the steady state did not hold while the fault acted: ${e.metric} was ${allowed} (${source}${widened}) ${span}, ${extreme}${control}${more}`;
}
