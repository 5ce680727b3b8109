import { InputError } from './errors.js';

/**
 * The one rule for simulated time that becomes integration steps of `dtMs`.
 *
 * Following NEST's `Time` (nest-simulator, libnestutil / nestkernel/nest_time.h:
 * time is held in integer tics and a duration in ms is valid on the grid only
 * when it is a whole number of steps):
 *
 * - A time the user wrote (durations, warm-up, baseline, observation, recovery
 *   timeout, hold, monitor and checkpoint intervals, fault windows, delays and
 *   durations, fixed synaptic delays) must be a multiple of dt:
 *   {@link exactSteps} refuses anything else with an InputError naming the
 *   field and the two nearest valid values.
 * - A time the tool derived itself (a duration times `--time-scale`, a drawn
 *   synaptic delay, a refractory period as NEST's `Time(ms(t_ref)).get_steps()`
 *   rounds it) goes to the nearest step, ties upwards: {@link roundedSteps}.
 * - Both compare with a relative tolerance of {@link STEP_TOLERANCE}, so that
 *   binary floating point (0.15 / 0.1 = 1.4999999999999998) does not decide:
 *   0.15 and 0.25 at dt = 0.1 are both off the grid (user-written) and both
 *   round up (derived), like 0.3 and 0.35 at any dt.
 * - A count that comes out below `minSteps` (1 unless the field allows 0) is
 *   refused naming the field, never run as 0 steps.
 */
export const STEP_TOLERANCE = 1e-9;

export interface StepOptions {
  /** Fewest steps allowed; @defaultValue 1 (a time that would run 0 steps is refused). */
  minSteps?: number;
}

/** `ms / dtMs` snapped to the nearest integer when within the tolerance. */
function quotient(ms: number, dtMs: number): { q: number; n: number; onGrid: boolean } {
  const q = ms / dtMs;
  const n = Math.round(q);
  return { q, n, onGrid: Math.abs(q - n) <= STEP_TOLERANCE * Math.max(1, Math.abs(q)) };
}

/**
 * The derived rule on a quotient already in steps (a drawn delay over dt):
 * the nearest integer, ties upwards, within the tolerance.
 */
export function nearestStep(q: number): number {
  const n = Math.round(q);
  return Math.abs(q - n) <= STEP_TOLERANCE * Math.max(1, Math.abs(q)) ? n : Math.floor(q + 0.5 + STEP_TOLERANCE * Math.max(1, Math.abs(q)));
}

/** A multiple of dt printed without binary noise (3 * 0.1 prints 0.3, not 0.30000000000000004). */
export function msOfSteps(steps: number, dtMs: number): number {
  return Number.parseFloat((steps * dtMs).toPrecision(12));
}

function checkMin(steps: number, ms: number, dtMs: number, field: string, o: StepOptions): number {
  const min = o.minSteps ?? 1;
  if (steps < min) {
    const lowest = msOfSteps(min, dtMs);
    throw new InputError(field, `must be at least ${lowest} ms (${min} step${min === 1 ? '' : 's'} of dt = ${dtMs} ms; got ${ms}, which is ${steps} step${steps === 1 ? '' : 's'})`);
  }
  return steps;
}

/** Whether `ms` is a whole number of steps of `dtMs` (within the tolerance). */
export function isMultipleOfDt(ms: number, dtMs: number): boolean {
  return quotient(ms, dtMs).onGrid;
}

/**
 * Steps of a time the user wrote, in ms: refused unless a multiple of dt.
 * @param ms simulated time, ms (finite, >= 0)
 * @param dtMs integration step, ms
 * @param field the option or scenario path named in the error
 * @returns whole steps, at least `minSteps`
 * @throws InputError "must be a multiple of dt = 0.1 ms (got 0.25; nearest 0.2 or 0.3)", or below minSteps
 */
export function exactSteps(ms: number, dtMs: number, field: string, o: StepOptions = {}): number {
  const { q, n, onGrid } = quotient(ms, dtMs);
  if (!onGrid) {
    const lo = Math.floor(q);
    const nearest = lo >= (o.minSteps ?? 1) ? `nearest ${msOfSteps(lo, dtMs)} or ${msOfSteps(lo + 1, dtMs)}` : `nearest ${msOfSteps(lo + 1, dtMs)}`;
    throw new InputError(field, `must be a multiple of dt = ${dtMs} ms (got ${ms}; ${nearest})`);
  }
  return checkMin(n, ms, dtMs, field, o);
}

/** Refuses a user-written time off the dt grid (see exactSteps) without a minimum; for validation before any conversion. */
export function checkMultipleOfDt(ms: number, dtMs: number, field: string): void {
  exactSteps(ms, dtMs, field, { minSteps: 0 });
}

/**
 * Steps of a time the tool derived (scaled by --time-scale, drawn, or a
 * refractory period): the nearest step, ties upwards, within the tolerance.
 * @param ms simulated time, ms
 * @param dtMs integration step, ms
 * @param field named when the result is below `minSteps`
 * @throws InputError when it rounds below `minSteps` (default 1)
 */
export function roundedSteps(ms: number, dtMs: number, field: string, o: StepOptions = {}): number {
  // Ties upwards whatever the binary representation: 1.4999999999999998 counts as 1.5.
  return checkMin(nearestStep(ms / dtMs), ms, dtMs, field, o);
}
