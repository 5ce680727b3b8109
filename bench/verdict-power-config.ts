import { InputError } from '../src/util/errors.js';

/**
 * The power and false-alarm benchmark's settings: the column, the trials,
 * the experiment's durations and the points (a null perturbation for the
 * false-alarm rate, graded faults for detection power). Issue 16, item 7.
 */

/** What a trial's control is: its paired unfaulted replica over the same span, or its own baseline before injection. */
export type ControlMode = 'paired' | 'baseline';

/** One point of the benchmark: a fault (or the null perturbation) at one grade, judged in one control mode. */
export interface PowerPoint {
  id: string;
  /** A person's line: what the point injects. */
  label: string;
  family: 'null' | 'dead-L4E' | 'partition-L4-L23' | 'corruption-L4E-L23E';
  /** The grade (fraction dead or corrupted; null: one level only). */
  grade: number | null;
  /** The scenario's fault (no durationMs: active for the whole observation, stopped by the rollback). */
  fault: Record<string, unknown>;
  /** The probe that shows the fault's own effect (its mean effect is reported beside the detection rate). */
  focusProbe: string;
  /** The judge's controls (judge.controls): paired twins (the default) or each treated replica's own baseline. */
  controls?: ControlMode;
}

export interface PowerConfig {
  form: 'quick' | 'full' | 'tiny';
  /** Microcircuit scale and in-degree scale (Potjans-Diesmann, src/model/microcircuit.ts). */
  scale: number;
  kScale: number;
  backend: 'cpu' | 'workers';
  /** Worker threads of the workers backend. */
  workers: number;
  /** Independent trials per point: each is one control/treated pair (or one replica against its baseline) with its own noise stream. */
  trials: number;
  /** Trials simulated together as replicas of one batched run (a point takes ceil(trials / trialsPerRun) runs). */
  trialsPerRun: number;
  /**
   * The verdicts counted: one per pair (an experiment with judge.trials 1, the engine's default), and one per
   * group of that many pairs of a run (an experiment with judge.trials = the group), judged by the engine's
   * judge over the same simulated replicas.
   */
  pairsPerVerdict: number[];
  seed: number;
  warmupMs: number;
  baselineMs: number;
  observationMs: number;
  monitorIntervalMs: number;
  /** The judge's settings (the scenario's `judge` block; defaults as the engine's). */
  judge: { relative: number; alpha: number; minExpectedSpikes: number };
  points: PowerPoint[];
}

const L4 = { populations: ['L4E', 'L4I'] };
const L23 = { populations: ['L23E', 'L23I'] };

/** The null perturbation: one input event into one L4E neuron at injection, strong enough that it fires once (the kind's default). */
export const NULL_POINT: PowerPoint = { id: 'aa-null', label: 'A/A: one extra spike of one L4E neuron', family: 'null', grade: null, fault: { kind: 'null-perturbation', target: { populations: ['L4E'] } }, focusProbe: 'rate.L4E' };

export function deadPoint(fraction: number): PowerPoint {
  // The focus is L4E's active fraction: the survivors fire more, so L4E's rate falls by only about half the fraction killed.
  return { id: `dead-L4E-${fraction * 100}`, label: `${fraction * 100}% of L4E dead`, family: 'dead-L4E', grade: fraction, fault: { kind: 'neuron-fault', target: { populations: ['L4E'], percent: fraction * 100 }, mode: 'dead' }, focusProbe: 'active-fraction.L4E' };
}

export const PARTITION_POINT: PowerPoint = { id: 'partition-L4-L23', label: 'partition: spikes L4 -> L23 dropped', family: 'partition-L4-L23', grade: null, fault: { kind: 'partition', from: L4, to: L23, direction: 'one-way', mode: 'drop' }, focusProbe: 'rate.L23E' };

export function corruptionPoint(fraction: number): PowerPoint {
  return { id: `corrupt-L4E-L23E-${fraction * 100}`, label: `${fraction * 100}% of L4E -> L23E weights stuck at 0`, family: 'corruption-L4E-L23E', grade: fraction, fault: { kind: 'weight-corruption', source: 'L4E', target: 'L23E', fraction, mode: 'stuck-at-zero' }, focusProbe: 'rate.L23E' };
}

/** The grades: 5, 10, 20, 50% of L4E dead; the L4 -> L23 partition; L4E -> L23E weights zeroed in growing fractions. */
export function defaultPoints(): PowerPoint[] {
  return [NULL_POINT, ...[0.05, 0.1, 0.2, 0.5].map(deadPoint), PARTITION_POINT, ...[0.1, 0.2, 0.5, 1].map(corruptionPoint)];
}

const JUDGE_DEFAULTS = { relative: 0.1, alpha: 0.05, minExpectedSpikes: 200 };

/**
 * quick (default): scale 0.02, 20 trials per point, a few minutes on 2 cores;
 * full (`--full`): scale 0.1, 40 trials per point (the minimum);
 * tiny: the test's smoke form (2 trials, a tiny column, windows of 20 expected spikes so that 200 ms hold some;
 * its dead point reports L4E's rate: a 100 ms baseline of so small a column holds no reliably active neuron for active-fraction).
 */
export function powerConfig(form: PowerConfig['form'], backend: 'cpu' | 'workers' = 'cpu', pointIds?: readonly string[]): PowerConfig {
  const cfg = formConfig(form, backend);
  if (!pointIds) return cfg;
  const known = cfg.points.map((p) => p.id);
  for (const id of pointIds) if (!known.includes(id)) throw new InputError('--points', `unknown point "${id}" (known: ${known.join(', ')})`);
  return { ...cfg, points: cfg.points.filter((p) => pointIds.includes(p.id)) };
}

function formConfig(form: PowerConfig['form'], backend: 'cpu' | 'workers'): PowerConfig {
  const common = { backend, workers: 2, seed: 16, pairsPerVerdict: [1, 4], monitorIntervalMs: 20, judge: { ...JUDGE_DEFAULTS }, points: defaultPoints() };
  // Spans of 2 s: population rates of a small column drift slowly (tens of percent over 500 ms between two
  // diverged twins), so shorter spans leave too few independent windows for a family-wise test (docs/verdict-power.md).
  if (form === 'full') return { ...common, form, scale: 0.1, kScale: 1, trials: 40, trialsPerRun: 20, warmupMs: 200, baselineMs: 500, observationMs: 2000 };
  if (form === 'tiny') return { ...common, form, scale: 0.01, kScale: 0.1, trials: 2, trialsPerRun: 2, pairsPerVerdict: [1, 2], warmupMs: 40, baselineMs: 100, observationMs: 200, judge: { ...JUDGE_DEFAULTS, minExpectedSpikes: 20 }, points: [NULL_POINT, { ...deadPoint(0.5), focusProbe: 'rate.L4E' }] };
  return { ...common, form, scale: 0.02, kScale: 1, trials: 20, trialsPerRun: 20, warmupMs: 100, baselineMs: 500, observationMs: 2000 };
}
