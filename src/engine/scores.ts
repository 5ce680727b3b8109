import { isHealthMetric, outOfBand, type Band } from './steady-state.js';
import type { MetricSample } from './metrics.js';

/**
 * ResilienceScore, each part in [0, 1], or null when nothing measured it (formulas also in README):
 * - health: the lower of two fractions, each over the fault: the judge's probe verdicts (`during` and `continuous`,
 *   pass or fail; no-data left out) that passed, and the samples over the fault whose health metrics stayed inside
 *   the steady-state check's ranges (steady-state-during.ts). A fault either one sees lowers it (null: neither measured);
 * - performance: always null. Throughput is a wall-clock figure: it moves with the machine's load, so two runs
 *   of one seed with identical spikes would score differently. It is reported, advisory, in the record's
 *   `performanceImpact` (the key stays so that journals and reports keep their shape);
 * - integrity: 1 - fraction of samples after the baseline with non-finite state, and 0 when a rollback failed
 *   to verify (null: no sample after the baseline and no failed rollback);
 * - recovery: 1 when recovered within the SLA, SLA / recovery time when later, 0 when never (null: the
 *   recovery was never watched: the experiment ended before its recovery window);
 * - overall: the mean of the parts that are not null (null when all are).
 * An unmeasured part is never scored as perfect: it would lift the overall of an experiment that showed nothing.
 * Every part is computed from simulated data only: the same scenario and seed give the same score.
 */
export interface ResilienceScore {
  health: number | null;
  /** Null in every journal this version writes (wall clock is advisory: see PerformanceImpact); older journals carry their throughput ratio. */
  performance: number | null;
  integrity: number | null;
  recovery: number | null;
  overall: number | null;
}

/** The score of an experiment that measured nothing, or was cut short by a signal: every part null, left out of the run's overall. */
export const UNSCORED: Readonly<ResilienceScore> = Object.freeze({ health: null, performance: null, integrity: null, recovery: null, overall: null });

export function recoveryScore(recoveryMs: number | null, slaMs: number): number {
  if (recoveryMs === null) return 0;
  return recoveryMs <= slaMs ? 1 : slaMs / recoveryMs;
}

/** Mean of the values that are not null; null when there are none. */
export function meanOfMeasured(xs: readonly (number | null)[]): number | null {
  const measured = xs.filter((x): x is number => x !== null);
  return measured.length ? measured.reduce((a, b) => a + b, 0) / measured.length : null;
}

/** A probe verdict as health reads it: which part of the experiment, and its outcome. */
export interface JudgedProbe {
  when: string;
  outcome: 'pass' | 'fail' | 'no-data';
}

/**
 * Health from the judge: the fraction of the probe verdicts over the fault
 * (`during`, `continuous`) with data that passed; null when none had data.
 */
export function probeHealth(probes: readonly JudgedProbe[]): number | null {
  const judged = probes.filter((p) => (p.when === 'during' || p.when === 'continuous') && p.outcome !== 'no-data');
  return judged.length ? judged.filter((p) => p.outcome === 'pass').length / judged.length : null;
}

/**
 * Scores one experiment from its samples.
 * @param recoveryMs simulated ms to recover, null when it did not
 * @param recoveryWatched whether the recovery window was reached at all (false: the recovery part is null) @defaultValue true
 * @param probes the judge's probe verdicts (health reads those over the fault that had data) @defaultValue []
 * @param sampleHealth the fraction of samples over the fault inside the steady-state check's ranges (DuringCheck.samplesInside / samples); absent: the fraction of fault-window samples in their bands (journals of round 1)
 */
export function scoreExperiment(samples: MetricSample[], bands: Record<string, Band>, recoveryMs: number | null, slaMs: number, rollbackVerified: boolean, recoveryWatched = true, probes: readonly JudgedProbe[] = [], sampleHealth?: number): ResilienceScore {
  const during = samples.filter((s) => s.phase === 'fault');
  const after = samples.filter((s) => s.phase !== 'baseline');
  const clamp = (x: number | null) => (x === null ? null : Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
  const bandHealth = sampleHealth ?? (during.length ? during.filter((s) => outOfBand(s, bands, isHealthMetric).length === 0).length / during.length : null);
  const judged = probeHealth(probes);
  const health = judged === null ? bandHealth : bandHealth === null ? judged : Math.min(judged, bandHealth);
  const integrity = !rollbackVerified ? 0 : after.length ? 1 - after.filter((s) => s.nonFinite > 0).length / after.length : null;
  const recovery = recoveryWatched ? recoveryScore(recoveryMs, slaMs) : null;
  const parts = { health: clamp(health), performance: null, integrity: clamp(integrity), recovery: clamp(recovery) };
  return { ...parts, overall: meanOfMeasured([parts.health, parts.integrity, parts.recovery]) };
}
