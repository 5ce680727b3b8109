/**
 * Deterministic accumulation of synaptic input on the device.
 *
 * WGSL has atomic add on 32-bit integers only, and float sums in the order
 * threads happen to run would differ from run to run. So each ring entry
 * holds the magnitude of its channel's input (excitatory: w >= 0;
 * inhibitory: -w, w < 0, as NEST routes by the sign of the weight) as an
 * unsigned 64-bit fixed-point number in units of 2^-20 pA, two u32 words
 * (lo, hi). Integer addition is associative, so the sum is the same in every
 * order: bit-identical from run to run.
 *
 * Error bound (tested in test/backends/webgpu/fixed-point.test.ts): each
 * event is rounded to the grid, at most 2^-21 pA (4.8e-7 pA) off, and the
 * read-back to float32 rounds twice, so a slot's input is within
 * N x 2^-21 pA + 2 ulp(float32) of the exact sum of its N weights. The CPU
 * reference rounds the running sum to float32 after each add (N/2 ulp of the
 * sum at worst), so the two agree to about N ulp.
 *
 * Range: magnitudes are exact below 2^36 pA (6.9e10 pA) per slot; a weight
 * or a sum beyond that reads back as an infinite input of the channel's sign,
 * and a NaN weight makes the slot NaN (bit 31 of hi; the guards then drop it,
 * as they drop a NaN on the CPU).
 */

/** Fixed-point units per pA: 2^20. */
export const FIXED_SCALE = 1048576;
/** hi at or above this: the magnitude left the exact range (reads as infinite). */
export const FIXED_HI_LIMIT = 0x0100_0000;
export const FIXED_NAN_BIT = 0x8000_0000;
export const FIXED_OVERFLOW_BIT = 0x4000_0000;

/** The magnitude of (lo, hi) in pA as float32, rounded exactly as fxMagnitude in WGSL (NaN, Infinity included). */
export function fixedToMagnitude(lo: number, hi: number): number {
  if ((hi & FIXED_NAN_BIT) !== 0) return Number.NaN;
  if (hi >>> 0 >= FIXED_HI_LIMIT) return Number.POSITIVE_INFINITY;
  const small = Math.fround(Math.fround((lo >>> 12) * 0.00390625) + Math.fround((lo & 0xfff) * 9.5367431640625e-7));
  return Math.fround(Math.fround(hi * 4096) + small);
}

/** (lo, hi) of a magnitude in pA (>= 0, or NaN/Infinity), as the WGSL fxAdd puts one event. Returned in `out`. */
export function magnitudeToFixed(mag: number, out: Uint32Array, at: number): void {
  if (Number.isNaN(mag)) {
    out[at] = 0;
    out[at + 1] = FIXED_NAN_BIT;
    return;
  }
  const q = Math.round(Math.abs(mag) * FIXED_SCALE);
  if (!(q < 2 ** 56)) {
    out[at] = 0;
    out[at + 1] = FIXED_OVERFLOW_BIT;
    return;
  }
  const hi = Math.floor(q / 4294967296);
  out[at] = q - hi * 4294967296;
  out[at + 1] = hi;
}

/**
 * WGSL: fxAdd adds |w| to the entry whose lo word is at `e` of `ring` (an
 * array<atomic<u32>>); fxMagnitude reads an entry back. Rounding to the grid:
 * q = |w| 2^20 is exact in float32 (a power-of-two scale); below 2^32 it is
 * rounded to the nearest integer; above, float32 has no fraction bits left
 * and q splits into hi and lo exactly. A carry out of lo goes into hi
 * (atomicAdd returns the old lo: the sum wrapped when it is below it).
 */
export function fixedPointWgsl(ring: string, fnSuffix = ''): string {
  return /* wgsl */ `
fn fxAdd${fnSuffix}(e: u32, w: f32) {
  let bits = bitcast<u32>(w);
  if ((bits & 0x7f800000u) == 0x7f800000u && (bits & 0x007fffffu) != 0u) {
    atomicOr(&${ring}[e + 1u], ${FIXED_NAN_BIT}u);
    return;
  }
  let q = abs(w) * ${FIXED_SCALE}.0;
  if (!(q < 72057594037927936.0)) {
    atomicOr(&${ring}[e + 1u], ${FIXED_OVERFLOW_BIT}u);
    return;
  }
  var lo: u32;
  var hi: u32 = 0u;
  if (q < 4294967296.0) {
    lo = u32(round(q));
  } else {
    let h = floor(q / 4294967296.0);
    hi = u32(h);
    lo = u32(q - h * 4294967296.0);
  }
  let old = atomicAdd(&${ring}[e], lo);
  if (old + lo < old) { hi = hi + 1u; }
  if (hi != 0u) { atomicAdd(&${ring}[e + 1u], hi); }
}
`;
}

/** WGSL: the magnitude of (lo, hi) as float32 (NaN and +Infinity made at run time from the word itself). */
export const FIXED_READ_WGSL = /* wgsl */ `
fn fxMagnitude(lo: u32, hi: u32) -> f32 {
  if ((hi & ${FIXED_NAN_BIT}u) != 0u) { return bitcast<f32>(hi | 0x7fc00000u); }
  if (hi >= ${FIXED_HI_LIMIT}u) { return bitcast<f32>((hi & 0u) | 0x7f800000u); }
  let small = f32(lo >> 12u) * 0.00390625 + f32(lo & 0xfffu) * 9.5367431640625e-7;
  return f32(hi) * 4096.0 + small;
}
`;
