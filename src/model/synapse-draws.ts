import { InputError } from '../util/errors.js';
import type { StreamRng } from '../util/rng.js';
import type { Distribution } from './spec.js';
import { MAX_DELAY_STEPS } from './spec.js';
import { exactSteps, roundedSteps } from '../util/time-steps.js';

const MAX_REDRAWS = 1000;

/** Draws from a distribution; normal draws are redrawn until they keep the sign of the mean (NEST's redraw). */
export function drawSignKeeping(dist: Distribution, rng: StreamRng, field: string): number {
  if (dist.kind === 'constant') return dist.value;
  const { mean, sd } = dist;
  if (sd === 0 || mean === 0) return mean + sd * rng.normal();
  for (let i = 0; i < MAX_REDRAWS; i++) {
    const x = mean + sd * rng.normal();
    if (mean > 0 ? x >= 0 : x <= 0) return x;
  }
  throw new InputError(field, `normal(mean ${mean}, sd ${sd}) almost never keeps the sign of its mean; lower sd`);
}

/**
 * Converts a delay in ms to whole steps, at least one step, at most
 * MAX_DELAY_STEPS. A delay the model wrote (`written`: a constant) must be a
 * multiple of dt, as NEST requires of delays; a drawn one goes to the nearest
 * step (ties up) and below one step becomes one (src/util/time-steps.ts).
 * @throws InputError naming `field`: off the dt grid (written), or beyond MAX_DELAY_STEPS
 */
export function delayToSteps(delayMs: number, dtMs: number, field: string, written = false): number {
  const steps = written ? exactSteps(delayMs, dtMs, field) : Math.max(1, roundedSteps(delayMs, dtMs, field, { minSteps: 0 }));
  if (steps > MAX_DELAY_STEPS) {
    throw new InputError(field, `a delay of ${delayMs.toFixed(3)} ms is ${steps} steps at dt = ${dtMs} ms; the most is ${MAX_DELAY_STEPS} steps (${(MAX_DELAY_STEPS * dtMs).toFixed(2)} ms)`);
  }
  return steps;
}
