import type { MetricSample } from '../metrics.js';
import { isWallClockMetric, type ProbeWhen, type ResolvedProbe, type WallClockMetric } from '../probe-schema.js';
import { compareWindows, type Comparison } from './compare.js';

/** One wall-clock figure: its baseline (mean, sd, coefficient of variation) and its mean in the fault and recovery windows. */
export interface WallClockFigure {
  /** Mean and sample sd over the baseline samples; null: no baseline sample. */
  baselineMean: number | null;
  baselineSd: number | null;
  /** sd / |mean| of the baseline: the noise a reader should allow for (null: mean 0 or no sample). */
  baselineCv: number | null;
  faultMean: number | null;
  recoveryMean: number | null;
  /** faultMean / baselineMean (null: either missing or a zero baseline). */
  faultOverBaseline: number | null;
  /** Whether the fault-window mean lies beyond 3 baseline sd of the baseline mean (null: not measurable). */
  beyondNoise: boolean | null;
}

/**
 * Wall-clock figures of an experiment, advisory only: they depend on the
 * machine and its neighbours' load, so they never enter a verdict, a
 * hypothesis, a score or the exit code (two runs of one seed with identical
 * spikes differ here, and only here). Units in the names.
 */
export interface PerformanceImpact {
  advisory: true;
  stepsPerSecond: WallClockFigure;
  stepLatencyMs: WallClockFigure;
  memoryBytes: WallClockFigure;
  /** Wall ms from the fault's end to the start of the recovered run (null: not recovered). */
  recoveryWallMs: number | null;
  /** Wall ms the experiment took, from the first sample's clock to the last's. */
  wallMs: number | null;
  /** The declared wall-clock probes (throughput, step-latency, memory), judged like the others but advisory: never in a verdict, a score or the exit code (absent in journals before them). */
  probes?: WallClockProbeResult[];
}

/** An advisory wall-clock probe's result: pass/fail as the judge would say, the value, and the noise to read it against. */
export interface WallClockProbeResult extends Comparison {
  id: string;
  metric: WallClockMetric;
  when: ProbeWhen;
  advisory: true;
  tolerance: number;
  /** The figure's field in the samples (stepsPerSecond, stepLatencyMs, memoryBytes) and its unit. */
  field: Metric;
  /** Mean over the treated samples (the value the probe read), and over the control samples. */
  value: number | null;
  baseline: number | null;
  /** Coefficient of variation of the control samples: the machine's noise on this figure. */
  noiseCv: number | null;
  controlSamples: number;
  treatedSamples: number;
}

const FIELD_OF: Record<WallClockMetric, Metric> = { throughput: 'stepsPerSecond', 'step-latency': 'stepLatencyMs', memory: 'memoryBytes' };

/**
 * The samples each `when` compares for a wall-clock probe: control the
 * baseline (before: its first half, treated its second half), treated the
 * fault-window samples (during), the recovery samples (after), or both (continuous).
 */
function wallClockSides(samples: readonly MetricSample[], when: ProbeWhen): { control: MetricSample[]; treated: MetricSample[] } {
  const of = (...phases: MetricSample['phase'][]) => samples.filter((s) => phases.includes(s.phase));
  const base = of('baseline');
  if (when === 'before') {
    const mid = Math.floor(base.length / 2);
    return { control: base.slice(0, mid), treated: base.slice(mid) };
  }
  return { control: base, treated: when === 'during' ? of('fault') : when === 'after' ? of('recovery') : of('fault', 'recovery') };
}

/**
 * Judges the wall-clock probes among `probes` (others are skipped): each
 * sample a window, the seeded permutation test and the probe's tolerance as
 * the minimum effect (compareWindows). Advisory: the results go into
 * `performanceImpact` only.
 */
export function judgeWallClockProbes(samples: readonly MetricSample[], probes: readonly ResolvedProbe[], alpha: number, seedKey: string): WallClockProbeResult[] {
  const out: WallClockProbeResult[] = [];
  for (const p of probes) {
    if (!isWallClockMetric(p.metric)) continue;
    const field = FIELD_OF[p.metric];
    for (const when of p.when) {
      const { control, treated } = wallClockSides(samples, when);
      const cv = control.map((s) => s[field]);
      const tv = treated.map((s) => s[field]);
      const cmp = compareWindows(cv, tv, { minEffect: p.tolerance, alpha, seedKey: `${seedKey}:${p.id}:${when}` });
      const noise = meanSd(cv);
      out.push({ id: p.id, metric: p.metric, when, advisory: true, tolerance: p.tolerance, field, value: cmp.treatedMean, baseline: cmp.controlMean, noiseCv: noise && noise.mean !== 0 ? noise.sd / Math.abs(noise.mean) : null, controlSamples: cv.length, treatedSamples: tv.length, ...cmp });
    }
  }
  return out;
}

type Metric = 'stepsPerSecond' | 'stepLatencyMs' | 'memoryBytes';
/** Beyond this many baseline sd a wall-clock mean is flagged (the steady-state bands' old default). */
const NOISE_SIGMAS = 3;

function meanSd(xs: number[]): { mean: number; sd: number } | null {
  if (!xs.length) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, sd };
}

function figure(samples: readonly MetricSample[], metric: Metric): WallClockFigure {
  const of = (phase: MetricSample['phase']) => samples.filter((s) => s.phase === phase).map((s) => s[metric]);
  const base = meanSd(of('baseline'));
  const fault = meanSd(of('fault'));
  const recovery = meanSd(of('recovery'));
  const ratio = base && fault && base.mean !== 0 ? fault.mean / base.mean : null;
  return {
    baselineMean: base?.mean ?? null,
    baselineSd: base?.sd ?? null,
    baselineCv: base && base.mean !== 0 ? base.sd / Math.abs(base.mean) : null,
    faultMean: fault?.mean ?? null,
    recoveryMean: recovery?.mean ?? null,
    faultOverBaseline: ratio,
    beyondNoise: base && fault ? Math.abs(fault.mean - base.mean) > NOISE_SIGMAS * base.sd : null,
  };
}

/**
 * The advisory wall-clock section of an experiment record, from its samples and its recovery's wall time;
 * with `probes`, the declared wall-clock probes judged too (judgeWallClockProbes).
 */
export function performanceImpact(samples: readonly MetricSample[], recoveryWallMs: number | null, probes?: { probes: readonly ResolvedProbe[]; alpha: number; seedKey: string }): PerformanceImpact {
  const judged = probes ? judgeWallClockProbes(samples, probes.probes, probes.alpha, probes.seedKey) : [];
  return {
    advisory: true,
    stepsPerSecond: figure(samples, 'stepsPerSecond'),
    stepLatencyMs: figure(samples, 'stepLatencyMs'),
    memoryBytes: figure(samples, 'memoryBytes'),
    recoveryWallMs,
    wallMs: samples.length ? samples[samples.length - 1].wallMs : null,
    ...(judged.length ? { probes: judged } : {}),
  };
}
