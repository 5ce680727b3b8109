import { uniformAt, uniformAtSub } from './counter_rng.js';

/** Inversion is exact and cheap for small means; larger means are split into parts of at most this. */
export const POISSON_PART_MAX = 30;

/**
 * PoissonDrive: adds Poisson(lambda) * weightPa to the arriving input of
 * neurons [from, to) for one step, each draw keyed by (step key, neuron), so
 * the drive does not depend on how neurons are split. No allocation.
 */
export function poissonDrive(
  lambda: number,
  weightPa: number,
  key: number,
  from: number,
  to: number,
  ringOffset: number,
  ring: Float32Array,
): void {
  if (lambda <= 0 || weightPa === 0) return;
  if (lambda <= POISSON_PART_MAX) {
    const p0 = Math.exp(-lambda);
    for (let i = from; i < to; i++) {
      const k = poissonInverse(uniformAt(key, i), lambda, p0);
      if (k !== 0) ring[ringOffset + i] += k * weightPa;
    }
    return;
  }
  // A sum of independent Poisson variables is Poisson: split large means into parts.
  const parts = Math.ceil(lambda / POISSON_PART_MAX);
  const part = lambda / parts;
  const p0 = Math.exp(-part);
  for (let i = from; i < to; i++) {
    let k = 0;
    for (let j = 0; j < parts; j++) k += poissonInverse(j === 0 ? uniformAt(key, i) : uniformAtSub(key, i, j), part, p0);
    if (k !== 0) ring[ringOffset + i] += k * weightPa;
  }
}

/** Smallest k with CDF(k) >= u, for Poisson(lambda) with p0 = exp(-lambda). */
export function poissonInverse(u: number, lambda: number, p0: number): number {
  let k = 0;
  let p = p0;
  let cdf = p0;
  while (u > cdf && k < 1000) {
    k++;
    p *= lambda / k;
    cdf += p;
  }
  return k;
}
