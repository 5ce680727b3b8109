import { InputError } from '../util/errors.js';
import { exactSteps } from '../util/time-steps.js';

/**
 * How long a run() goes: simulated time in ms (what a script writes, like a
 * fault's `durationMs`), or integration steps (kernels, tests, the engine).
 * A bare number is steps (the form every backend has always taken).
 */
export type RunLength = number | { durationMs: number } | { steps: number };

/**
 * The steps of a run length at `dtMs`. `durationMs` follows the time rule of
 * src/util/time-steps.ts (a user-written time must be a multiple of dt).
 * @throws InputError naming `durationMs` (off the dt grid, below one step, not finite) or `steps`
 */
export function stepsOfRunLength(length: RunLength, dtMs: number): number {
  // Anything but an object is the steps form: validateSteps names `steps` when it is no step count.
  if (length === null || typeof length !== 'object') return length as number;
  const l = length as { durationMs?: unknown; steps?: unknown };
  if (l.durationMs !== undefined && l.steps !== undefined) throw new InputError('durationMs', 'give durationMs or steps, not both');
  if (l.durationMs !== undefined) {
    if (typeof l.durationMs !== 'number' || !Number.isFinite(l.durationMs) || l.durationMs < 0) throw new InputError('durationMs', `must be a finite number of ms >= 0 (got ${String(l.durationMs)})`);
    return exactSteps(l.durationMs, dtMs, 'durationMs', { minSteps: 0 });
  }
  if (l.steps !== undefined) return l.steps as number;
  throw new InputError('steps', 'give a number of steps, { durationMs } or { steps }');
}
