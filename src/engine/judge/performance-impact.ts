import type { MetricSample } from '../metrics.js';

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

/** The advisory wall-clock section of an experiment record, from its samples and its recovery's wall time. */
export function performanceImpact(samples: readonly MetricSample[], recoveryWallMs: number | null): PerformanceImpact {
  return {
    advisory: true,
    stepsPerSecond: figure(samples, 'stepsPerSecond'),
    stepLatencyMs: figure(samples, 'stepLatencyMs'),
    memoryBytes: figure(samples, 'memoryBytes'),
    recoveryWallMs,
    wallMs: samples.length ? samples[samples.length - 1].wallMs : null,
  };
}
