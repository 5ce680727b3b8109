import { InputError } from '../util/errors.js';
import type { StreamRng } from '../util/rng.js';
import type { Distribution } from './spec.js';
import { MAX_DELAY_STEPS } from './spec.js';

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

/** Converts a delay in ms to whole steps: rounded to the grid, at least one step, at most MAX_DELAY_STEPS. */
export function delayToSteps(delayMs: number, dtMs: number, field: string): number {
  const steps = Math.max(1, Math.round(delayMs / dtMs));
  if (steps > MAX_DELAY_STEPS) {
    throw new InputError(field, `a delay of ${delayMs.toFixed(3)} ms is ${steps} steps at dt = ${dtMs} ms; the most is ${MAX_DELAY_STEPS} steps (${(MAX_DELAY_STEPS * dtMs).toFixed(2)} ms)`);
  }
  return steps;
}
