import { isHealthMetric, outOfBand, type Band } from './steady-state.js';
import type { MetricSample } from './metrics.js';

/**
 * ResilienceScore, each part in [0, 1] (formulas also in README):
 * - health: fraction of fault-window samples whose health metrics stayed in band;
 * - performance: mean throughput in the fault window over the baseline's, capped at 1;
 * - integrity: 1 - fraction of samples with non-finite state, and 0 when a rollback failed to verify;
 * - recovery: 1 when recovered within the SLA, SLA / recovery time when later, 0 when never;
 * - overall: the mean of the four.
 */
export interface ResilienceScore {
  health: number;
  performance: number;
  integrity: number;
  recovery: number;
  overall: number;
}

export function recoveryScore(recoveryMs: number | null, slaMs: number): number {
  if (recoveryMs === null) return 0;
  return recoveryMs <= slaMs ? 1 : slaMs / recoveryMs;
}

export function scoreExperiment(samples: MetricSample[], bands: Record<string, Band>, recoveryMs: number | null, slaMs: number, rollbackVerified: boolean): ResilienceScore {
  const during = samples.filter((s) => s.phase === 'fault');
  const after = samples.filter((s) => s.phase !== 'baseline');
  const clamp = (x: number) => (Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0);
  const health = during.length ? during.filter((s) => outOfBand(s, bands, isHealthMetric).length === 0).length / during.length : 1;
  const base = bands.stepsPerSecond?.mean ?? 0;
  const perf = during.length && base > 0 ? during.reduce((a, s) => a + s.stepsPerSecond, 0) / during.length / base : 1;
  const integrity = rollbackVerified ? (after.length ? 1 - after.filter((s) => s.nonFinite > 0).length / after.length : 1) : 0;
  const recovery = recoveryScore(recoveryMs, slaMs);
  const parts = { health: clamp(health), performance: clamp(perf), integrity: clamp(integrity), recovery: clamp(recovery) };
  return { ...parts, overall: (parts.health + parts.performance + parts.integrity + parts.recovery) / 4 };
}
