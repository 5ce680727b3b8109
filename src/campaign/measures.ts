/**
 * What a campaign can record per job, and the range of each recorded value
 * (which decides its interval: Wilson for proportions, a bootstrap that stays
 * in the data's range for values >= 0, Student t for signed values).
 */
export const MEASURES = ['verdict', 'probes', 'recovery-time', 'rate-deviation', 'van-rossum', 'task-accuracy', 'wall-clock'] as const;
export type MeasureName = (typeof MEASURES)[number];

/** The range of a recorded value: a proportion in [0, 1], a value >= 0 (times, distances, rates), or any real. */
export type ValueRange = 'proportion' | 'nonneg' | 'real';

/** One recorded value. A proportion may carry its counts (`count` of `of`) so the Wilson interval pools them. */
export interface MeasureValue {
  value: number;
  count?: number;
  of?: number;
}

/** What a recorded key means: its range, unit and whether it is a wall-clock figure (left out of comparisons). */
export interface KeyInfo {
  range: ValueRange;
  unit: string;
  label: string;
  wallClock: boolean;
}

/**
 * The range, unit and label of a recorded key. Keys: `verdict.pass`,
 * `probe.<id>.fail`, `probe.<id>.effect`, `recovery.ms`, `recovery.recovered`,
 * `rate-deviation.hz`, `van-rossum.per-neuron`, `task.accuracy`,
 * `task.healthy-accuracy`, `wall.job-ms`.
 */
export function keyInfo(key: string): KeyInfo {
  const fixed: Record<string, KeyInfo> = {
    'verdict.pass': { range: 'proportion', unit: '', label: 'verdict: share passing', wallClock: false },
    'recovery.ms': { range: 'nonneg', unit: 'ms', label: 'recovery time (simulated ms; censored at the timeout)', wallClock: false },
    'recovery.recovered': { range: 'proportion', unit: '', label: 'share recovered within the timeout', wallClock: false },
    'rate-deviation.hz': { range: 'nonneg', unit: 'Hz', label: 'rate deviation from the unfaulted run (Hz, mean over populations)', wallClock: false },
    'van-rossum.per-neuron': { range: 'nonneg', unit: '', label: 'van Rossum distance to the unfaulted run (tau 10 ms, per neuron)', wallClock: false },
    'task.accuracy': { range: 'proportion', unit: '', label: 'task accuracy under the fault', wallClock: false },
    'task.healthy-accuracy': { range: 'proportion', unit: '', label: 'task accuracy, healthy column', wallClock: false },
    'wall.job-ms': { range: 'nonneg', unit: 'ms', label: 'wall time per job (ms)', wallClock: true },
  };
  if (fixed[key]) return fixed[key];
  const probe = /^probe\.(.+)\.(fail|effect)$/.exec(key);
  if (probe) {
    return probe[2] === 'fail'
      ? { range: 'proportion', unit: '', label: `probe ${probe[1]}: share failing`, wallClock: false }
      : { range: 'real', unit: '', label: `probe ${probe[1]}: relative effect (treated - control) / control`, wallClock: false };
  }
  return { range: 'real', unit: '', label: key, wallClock: false };
}
