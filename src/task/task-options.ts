import type { Network } from '../model/network.js';
import { check } from '../util/errors.js';
import { exactSteps } from '../util/time-steps.js';

/**
 * A classification task for the column, after liquid-state readouts of
 * cortical microcircuit models (Maass, Natschlaeger & Markram 2002; Haeusler &
 * Maass 2007): each class is a spatio-temporal rate pattern (for each of
 * `segments` consecutive windows, a fixed subset of the input neurons gets
 * Poisson input); a sample is one presentation, made different from every
 * other by the Poisson draws and by the column's own ongoing activity.
 */
export interface TaskOptions {
  /** Input classes. @defaultValue 4 */
  classes?: number;
  /** Populations the patterns are injected into (thalamic input: add L6E, L6I). @defaultValue ['L4E', 'L4I'] */
  inputPopulations?: string[];
  /** Populations whose spike counts the linear readout sees. @defaultValue ['L23E', 'L5E'] */
  readoutPopulations?: string[];
  /** Share of the input neurons a pattern drives in one segment. @defaultValue 0.25 */
  patternFraction?: number;
  /** Consecutive windows of a pattern, each with its own subset. @defaultValue 2 */
  segments?: number;
  /** Length of one segment, simulated ms. @defaultValue 15 */
  segmentMs?: number;
  /** Poisson rate of the input to each driven neuron (at most 1/dt). @defaultValue 8000 Hz, or 1/dt when that is lower */
  rateHz?: number;
  /** Current each input event adds, pA (87.81 pA is the microcircuit's 0.15 mV PSP). @defaultValue 87.81 */
  amplitudePa?: number;
  /** The counting window runs this long past the end of the stimulus. @defaultValue 10 ms */
  readoutLagMs?: number;
  /** Silence after the counting window, before the next sample. @defaultValue 20 ms */
  gapMs?: number;
  /** Seeds the patterns and the class sequence. @defaultValue 1 */
  seed?: number;
}

export const TASK_DEFAULTS: Required<TaskOptions> = {
  classes: 4,
  inputPopulations: ['L4E', 'L4I'],
  readoutPopulations: ['L23E', 'L5E'],
  patternFraction: 0.25,
  segments: 2,
  segmentMs: 15,
  rateHz: 8000,
  amplitudePa: 87.81,
  readoutLagMs: 10,
  gapMs: 20,
  seed: 1,
};

export interface ResolvedTask extends Required<TaskOptions> {
  segmentSteps: number;
  /** Steps of the counting window (stimulus + lag). */
  windowSteps: number;
  gapSteps: number;
  inputNeurons: Int32Array;
  readoutNeurons: Int32Array;
}

/** Checks task options against the network; errors name the field (`task.classes`) and the allowed range. */
export function resolveTaskOptions(network: Network, options: TaskOptions = {}): ResolvedTask {
  const dt = network.dtMs;
  const o = { ...TASK_DEFAULTS, rateHz: Math.min(TASK_DEFAULTS.rateHz, 1000 / dt), ...options };
  check(Number.isInteger(o.classes) && o.classes >= 2 && o.classes <= 64, 'task.classes', () => `must be an integer in [2, 64] (got ${o.classes})`);
  check(Number.isInteger(o.segments) && o.segments >= 1 && o.segments <= 64, 'task.segments', () => `must be an integer in [1, 64] (got ${o.segments})`);
  check(o.patternFraction > 0 && o.patternFraction <= 1, 'task.patternFraction', () => `must be in (0, 1] (got ${o.patternFraction})`);
  check(Number.isFinite(o.segmentMs) && o.segmentMs >= dt && o.segmentMs <= 10_000, 'task.segmentMs', () => `must be in [dt = ${dt}, 10000] ms (got ${o.segmentMs})`);
  check(o.rateHz > 0 && o.rateHz <= 1000 / dt + 1e-9, 'task.rateHz', () => `must be in (0, 1/dt = ${1000 / dt}] Hz (got ${o.rateHz})`);
  check(Number.isFinite(o.amplitudePa) && Math.abs(o.amplitudePa) <= 1e6, 'task.amplitudePa', () => `must be a number in [-1e6, 1e6] pA (got ${o.amplitudePa})`);
  check(Number.isFinite(o.readoutLagMs) && o.readoutLagMs >= 0 && o.readoutLagMs <= 10_000, 'task.readoutLagMs', () => `must be in [0, 10000] ms (got ${o.readoutLagMs})`);
  check(Number.isFinite(o.gapMs) && o.gapMs >= 0 && o.gapMs <= 10_000, 'task.gapMs', () => `must be in [0, 10000] ms (got ${o.gapMs})`);
  check(Number.isInteger(o.seed) && o.seed >= 0 && o.seed <= 2 ** 32 - 1, 'task.seed', () => `must be an integer in [0, 4294967295] (got ${o.seed})`);
  const segmentSteps = exactSteps(o.segmentMs, dt, 'task.segmentMs');
  return {
    ...o,
    segmentSteps,
    windowSteps: segmentSteps * o.segments + exactSteps(o.readoutLagMs, dt, 'task.readoutLagMs', { minSteps: 0 }),
    gapSteps: exactSteps(o.gapMs, dt, 'task.gapMs', { minSteps: 0 }),
    inputNeurons: neuronsOf(network, o.inputPopulations, 'task.inputPopulations'),
    readoutNeurons: neuronsOf(network, o.readoutPopulations, 'task.readoutPopulations'),
  };
}

function neuronsOf(network: Network, names: string[], field: string): Int32Array {
  check(Array.isArray(names) && names.length > 0, field, () => 'must name at least one population');
  const out: number[] = [];
  names.forEach((name, i) => {
    const p = network.populations.find((q) => q.name === name);
    check(p !== undefined, `${field}[${i}]`, () => `unknown population "${name}" (known: ${network.populations.map((q) => q.name).join(', ')})`);
    for (let k = 0; k < p.size; k++) out.push(p.start + k);
  });
  return Int32Array.from(new Set(out)).sort();
}
