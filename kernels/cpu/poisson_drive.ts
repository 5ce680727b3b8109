import { bitsAt, bitsAtSub } from './counter_rng.js';

/** Means above this are drawn as a sum of parts of at most this (a sum of independent Poisson variables is Poisson). */
export const POISSON_PART_MAX = 30;
const LUT_BITS = 12;

/**
 * Inversion table of Poisson(lambda) on 32-bit draws: a draw h gives the
 * smallest k with h <= thresholds[k], thresholds[k] = floor(CDF(k) * 2^32).
 * Every backend samples against the same thresholds, so draws agree exactly.
 * `lut` maps the top 12 bits of h straight to k where the whole bucket falls
 * in one k (all but a handful of buckets), and to 255 where h must be
 * compared: it removes the data-dependent branches that otherwise dominate.
 */
export interface PoissonTable {
  thresholds: Uint32Array;
  lut: Uint8Array;
}

export function poissonTable(lambda: number): PoissonTable {
  const values: number[] = [];
  let p = Math.exp(-lambda);
  let cdf = p;
  for (let k = 0; k < 250; k++) {
    if (k > 0) {
      p *= lambda / k;
      cdf += p;
    }
    const t = Math.min(0xffffffff, Math.floor(cdf * 4294967296));
    values.push(t);
    if (t === 0xffffffff) break;
  }
  values[values.length - 1] = 0xffffffff; // every draw maps inside the table
  const thresholds = Uint32Array.from(values);
  const lut = new Uint8Array(1 << LUT_BITS);
  const width = 2 ** (32 - LUT_BITS);
  for (let b = 0; b < lut.length; b++) {
    const lo = firstAbove(thresholds, b * width);
    const hi = firstAbove(thresholds, b * width + width - 1);
    lut[b] = lo === hi && lo < 255 ? lo : 255;
  }
  return { thresholds, lut };
}

function firstAbove(thresholds: Uint32Array, h: number): number {
  let k = 0;
  while (h > thresholds[k]) k++;
  return k;
}

/** Poisson draw from 32 random bits. */
export function poissonFromBits(table: PoissonTable, h: number): number {
  return poissonFromLut(table.lut, table.thresholds, h);
}

/**
 * Poisson draw from 32 random bits with the table's arrays passed apart: the
 * kernels' loops take them out of the table once and V8 inlines this, so
 * the draw costs no field loads per neuron.
 */
export function poissonFromLut(lut: Uint8Array, thresholds: Uint32Array, h: number): number {
  let k = lut[h >>> 20]; // the top LUT_BITS bits (a literal: the shift of a module constant was computed at every draw)
  if (k === 255) {
    k = 0;
    while (h > thresholds[k]) k++;
  }
  return k;
}

/**
 * PoissonDrive: adds Poisson(lambda) * weightPa to the arriving input of
 * neurons [from, to) for one step, where `table` is poissonTable(lambda /
 * parts). Each draw is keyed by (step key, neuron), so the drive does not
 * depend on how neurons are split. No allocation.
 */
export function poissonDrive(
  table: PoissonTable,
  parts: number,
  weightPa: number,
  key: number,
  from: number,
  to: number,
  ringOffset: number,
  ring: Float32Array,
): void {
  const lut = table.lut;
  const thr = table.thresholds;
  if (parts === 1) {
    // The draw written out (as poissonFromLut): through the inlined call this loop ran 6% slower.
    for (let i = from; i < to; i++) {
      const h = bitsAt(key, i);
      let k = lut[h >>> 20];
      if (k === 255) {
        k = 0;
        while (h > thr[k]) k++;
      }
      ring[ringOffset + i] += k * weightPa;
    }
    return;
  }
  for (let i = from; i < to; i++) {
    let k = poissonFromBits(table, bitsAt(key, i));
    for (let j = 1; j < parts; j++) k += poissonFromBits(table, bitsAtSub(key, i, j));
    ring[ringOffset + i] += k * weightPa;
  }
}

export function poissonParts(lambda: number): number {
  return Math.max(1, Math.ceil(lambda / POISSON_PART_MAX));
}
