import { MAX_BATCH } from '../config/settings.js';
import type { Network } from '../model/network.js';
import { validateSeed } from '../model/builder.js';
import { check } from '../util/errors.js';
import type { SimulationOptions } from './backend.js';
import { identityNoiseStreams, validateNoiseStreams } from './noise-streams.js';
import { exactSteps } from '../util/time-steps.js';
import { resolvePrecision, type Precision } from './precision.js';

export { MAX_BATCH };

/** What every backend takes from SimulationOptions, checked: batch, seed, warm-up in steps, noise stream per replica, the update's precision. */
export interface ResolvedSimulationOptions {
  batch: number;
  seed: number;
  warmupSteps: number;
  noiseStreams: number[];
  precision: Precision;
}

/** @throws InputError naming the field (batch, seed, warmupMs, noiseStreams, precision) and its range */
export function resolveSimulationOptions(network: Network, options: SimulationOptions): ResolvedSimulationOptions {
  const batch = options.batch ?? 1;
  check(Number.isInteger(batch) && batch >= 1 && batch <= MAX_BATCH, 'batch', () => `must be an integer in [1, ${MAX_BATCH}] (got ${batch})`);
  const seed = validateSeed(options.seed ?? network.seed);
  const warmupMs = options.warmupMs ?? 0;
  check(Number.isFinite(warmupMs) && warmupMs >= 0, 'warmupMs', () => `must be a number >= 0 (got ${warmupMs})`);
  const noiseStreams = options.noiseStreams === undefined ? identityNoiseStreams(batch) : validateNoiseStreams(options.noiseStreams, batch);
  const precision = resolvePrecision(options.precision);
  return { batch, seed, warmupSteps: exactSteps(warmupMs, network.dtMs, 'warmupMs', { minSteps: 0 }), noiseStreams, precision };
}

export function validateSteps(steps: number): void {
  check(Number.isInteger(steps) && steps >= 0 && steps <= 2 ** 32 - 1, 'steps', () => `must be an integer in [0, 4294967295] (got ${steps})`);
}
