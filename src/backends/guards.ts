import type { GuardKernel } from '../../kernels/cpu/lif_step.js';
import type { Network } from '../model/network.js';
import { check } from '../util/errors.js';
import { allocArray } from '../util/shared-arrays.js';
import type { GuardOptions } from './backend.js';
import { exactSteps, roundedSteps } from '../util/time-steps.js';

export const DEFAULT_SATURATION_PA = 100_000;
export const DEFAULT_QUARANTINE_MS = 10;

export interface GuardSetup {
  capPa: number;
  quarantineSteps: number;
  /** Two counters per shard (contained, capped), shared with the workers. */
  counters: Float64Array;
}

/** Resolves guard options (null when switched off); errors name the field and range. */
export function setupGuards(network: Network, options: GuardOptions | undefined, shards: number): GuardSetup | null {
  // Off unless asked for: a plain simulation runs unguarded at full speed; experiments switch guards on by default.
  const o = options ?? {};
  if (o.enabled !== true) return null;
  const cap = o.saturationPa ?? DEFAULT_SATURATION_PA;
  const quarantine = o.quarantineMs ?? DEFAULT_QUARANTINE_MS;
  check(Number.isFinite(cap) && cap > 0 && cap <= 1e12, 'guards.saturationPa', () => `must be a number in (0, 1e12] pA (got ${cap})`);
  check(Number.isFinite(quarantine) && quarantine >= 0 && quarantine <= 1e6, 'guards.quarantineMs', () => `must be a number in [0, 1000000] ms (got ${quarantine})`);
  return { capPa: cap, quarantineSteps: o.quarantineMs === undefined ? roundedSteps(quarantine, network.dtMs, 'guards.quarantineMs', { minSteps: 0 }) : exactSteps(quarantine, network.dtMs, 'guards.quarantineMs', { minSteps: 0 }), counters: allocArray(Float64Array, 2 * shards, true) };
}

export function guardKernel(setup: GuardSetup | null, slot: number): GuardKernel | null {
  return setup ? { capPa: setup.capPa, quarantineSteps: setup.quarantineSteps, counters: setup.counters, slot } : null;
}

export function guardTotals(setup: GuardSetup | null): { nonFiniteContained: number; inputsCapped: number } {
  if (!setup) return { nonFiniteContained: 0, inputsCapped: 0 };
  let contained = 0;
  let capped = 0;
  for (let k = 0; k < setup.counters.length; k += 2) {
    contained += setup.counters[k];
    capped += setup.counters[k + 1];
  }
  return { nonFiniteContained: contained, inputsCapped: capped };
}
