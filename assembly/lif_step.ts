// AssemblyScript source of kernels/wasm/lif_step.wasm (npm run build:wasm).
//
// The iaf_psc_exp update of kernels/cpu/lif_run.ts (the readable reference:
// read that first), four neurons per iteration with 128-bit SIMD. It gives
// the reference's results bit for bit because it does the same IEEE-754
// operations in the same order on the same precision: every value is read
// from float32 and widened to float64 (exact), the update is computed in
// float64 (two lanes per f64x2 op, no fused multiply-add: wasm SIMD has none
// outside relaxed-simd, which this module does not use), and each stored
// value is narrowed to float32 with round-to-nearest-even, as a
// Float32Array store (or Math.fround) does in JavaScript. The spike test
// compares the unrounded float64 membrane with the threshold, as the
// reference does. Tails (fewer than four neurons) run the same update one
// neuron at a time.
//
// All pointers are byte addresses in the imported memory, already offset to
// the range's first neuron's replica (state) and ring slot (ring): neuron i
// of the range [from, to) is at ptr + 4 * i. No allocation, no runtime.

/** Where the last guarded run stopped: `to`, or the neuron that failed a guard test (read by stoppedAt). */
let stop: i32 = 0;

export function stoppedAt(): i32 {
  return stop;
}

const FLOAT32_MAX: f64 = 3.4028234663852886e38;
const C1: i32 = 0x85ebca6b;
const C2: i32 = 0xc2b2ae35;

// @ts-ignore: decorator
@inline function fmix32(h: i32): i32 {
  h ^= <i32>(<u32>h >> 16);
  h = h * C1;
  h ^= <i32>(<u32>h >> 13);
  h = h * C2;
  h ^= <i32>(<u32>h >> 16);
  return h;
}

// @ts-ignore: decorator
@inline function fmix32x4(h: v128): v128 {
  h = v128.xor(h, i32x4.shr_u(h, 16));
  h = i32x4.mul(h, i32x4.splat(C1));
  h = v128.xor(h, i32x4.shr_u(h, 13));
  h = i32x4.mul(h, i32x4.splat(C2));
  h = v128.xor(h, i32x4.shr_u(h, 16));
  return h;
}

/** kernels/cpu/poisson_drive.ts poissonFromLut: the LUT by the top 12 bits, the thresholds where the bucket is split (255). */
// @ts-ignore: decorator
@inline function poissonDraw(lut: usize, thr: usize, h: u32): i32 {
  let k = <i32>load<u8>(lut + (h >>> 20));
  if (k == 255) {
    k = 0;
    while (h > load<u32>(thr + (<usize>k << 2))) k++;
  }
  return k;
}

/** kernels/cpu/counter_rng.ts bitsAt(key, neuron). */
// @ts-ignore: decorator
@inline function bitsAt(key: i32, neuron: i32): u32 {
  return <u32>fmix32(fmix32(key ^ ((neuron + 1) * <i32>0xcc9e2d51)) ^ 0x1b873593);
}

/** The lower two f32 lanes of each of a and b as one f32x4 (a0, a1, b0, b1). */
// @ts-ignore: decorator
@inline function joinLow(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

// @ts-ignore: decorator
@inline function highHalf(a: v128): v128 {
  return i8x16.shuffle(a, a, 8, 9, 10, 11, 12, 13, 14, 15, 8, 9, 10, 11, 12, 13, 14, 15);
}

/** Lanes 0 and 2 (as i32) of each i64x2 mask: two f64x2 compare results as one i32x4 mask. */
// @ts-ignore: decorator
@inline function narrowMasks(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 8, 9, 10, 11, 16, 17, 18, 19, 24, 25, 26, 27);
}

/**
 * One neuron, as lifRun's loop body (scalar, for tails and for the guarded
 * group that holds a failing neuron). Returns -1 when a guard test fails
 * (nothing of the neuron written), else 1 when it spiked, 0 when not.
 */
// @ts-ignore: decorator
@inline function neuron(
  guarded: bool, poisson: bool, i: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize,
  lut: usize, thr: usize, key: i32, wPoisson: f64,
  el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64,
): i32 {
  const o = <usize>i << 2;
  let arriving = <f64>load<f32>(rexp + o);
  if (poisson) arriving = <f64><f32>(arriving + <f64>poissonDraw(lut, thr, bitsAt(key, i)) * wPoisson);
  const arrivingIn = <f64>load<f32>(rinp + o);
  const ex = <f64>load<f32>(exp + o);
  const inh = <f64>load<f32>(inp + o);
  const vm = <f64>load<f32>(vp + o);
  const integrated = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
  if (guarded && !(Math.abs(arriving) <= cap && Math.abs(arrivingIn) <= cap && Math.abs(integrated) <= FLOAT32_MAX)) return -1;
  store<f32>(rexp + o, 0);
  store<f32>(rinp + o, 0);
  store<f32>(exp + o, <f32>(ex * p11ex + arriving));
  store<f32>(inp + o, <f32>(inh * p11in + arrivingIn));
  const ref = load<i32>(refp + o);
  const held = ref == 0 ? integrated : vm;
  const spiked = held >= th;
  store<i32>(refp + o, spiked ? refractorySteps : ref == 0 ? 0 : ref - 1);
  store<f32>(vp + o, <f32>(spiked ? reset : held));
  return spiked ? 1 : 0;
}

// @ts-ignore: decorator
@inline function run(
  guarded: bool, poisson: bool, from: i32, to: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32,
  lut: usize, thr: usize, key: i32, wPoisson: f64,
  el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64,
): i32 {
  const vEl = f64x2.splat(el);
  const vTh = f64x2.splat(th);
  const vReset = f64x2.splat(reset);
  const vDc = f64x2.splat(dcTerm);
  const vP22 = f64x2.splat(p22);
  const vP11ex = f64x2.splat(p11ex);
  const vP11in = f64x2.splat(p11in);
  const vP21ex = f64x2.splat(p21ex);
  const vP21in = f64x2.splat(p21in);
  const vW = f64x2.splat(wPoisson);
  const vCap = f64x2.splat(cap);
  const vMax = f64x2.splat(FLOAT32_MAX);
  const vRefSteps = i32x4.splat(refractorySteps);
  const zero = i32x4.splat(0);
  const one = i32x4.splat(1);
  const lanes = i32x4(1, 2, 3, 4);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const o = <usize>i << 2;
    let arrF = v128.load(rexp + o);
    let arrLo = f64x2.promote_low_f32x4(arrF);
    let arrHi = f64x2.promote_low_f32x4(highHalf(arrF));
    if (poisson) {
      // bitsAt for the four neurons at once; the table look-ups lane by lane (wasm has no gather).
      const h = fmix32x4(v128.xor(fmix32x4(v128.xor(i32x4.splat(key), i32x4.mul(i32x4.add(i32x4.splat(i), lanes), i32x4.splat(<i32>0xcc9e2d51)))), i32x4.splat(0x1b873593)));
      let k = i32x4.splat(poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 0)));
      k = i32x4.replace_lane(k, 1, poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 1)));
      k = i32x4.replace_lane(k, 2, poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 2)));
      k = i32x4.replace_lane(k, 3, poissonDraw(lut, thr, <u32>i32x4.extract_lane(h, 3)));
      // arriving + k * w in float64, rounded to float32 as the ring slot would have stored it.
      const sumLo = f64x2.add(arrLo, f64x2.mul(f64x2.convert_low_i32x4_s(k), vW));
      const sumHi = f64x2.add(arrHi, f64x2.mul(f64x2.convert_low_i32x4_s(highHalf(k)), vW));
      arrF = joinLow(f32x4.demote_f64x2_zero(sumLo), f32x4.demote_f64x2_zero(sumHi));
      arrLo = f64x2.promote_low_f32x4(arrF);
      arrHi = f64x2.promote_low_f32x4(highHalf(arrF));
    }
    const inF = v128.load(rinp + o);
    const inLo = f64x2.promote_low_f32x4(inF);
    const inHi = f64x2.promote_low_f32x4(highHalf(inF));
    const exF = v128.load(exp + o);
    const exLo = f64x2.promote_low_f32x4(exF);
    const exHi = f64x2.promote_low_f32x4(highHalf(exF));
    const ihF = v128.load(inp + o);
    const ihLo = f64x2.promote_low_f32x4(ihF);
    const ihHi = f64x2.promote_low_f32x4(highHalf(ihF));
    const vF = v128.load(vp + o);
    const vLo = f64x2.promote_low_f32x4(vF);
    const vHi = f64x2.promote_low_f32x4(highHalf(vF));
    // el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in, left to right.
    const intLo = f64x2.add(f64x2.add(f64x2.add(f64x2.add(vEl, f64x2.mul(f64x2.sub(vLo, vEl), vP22)), vDc), f64x2.mul(exLo, vP21ex)), f64x2.mul(ihLo, vP21in));
    const intHi = f64x2.add(f64x2.add(f64x2.add(f64x2.add(vEl, f64x2.mul(f64x2.sub(vHi, vEl), vP22)), vDc), f64x2.mul(exHi, vP21ex)), f64x2.mul(ihHi, vP21in));
    if (guarded) {
      // NaN fails le, as it fails the reference's tests.
      const okLo = v128.and(v128.and(f64x2.le(f64x2.abs(arrLo), vCap), f64x2.le(f64x2.abs(inLo), vCap)), f64x2.le(f64x2.abs(intLo), vMax));
      const okHi = v128.and(v128.and(f64x2.le(f64x2.abs(arrHi), vCap), f64x2.le(f64x2.abs(inHi), vCap)), f64x2.le(f64x2.abs(intHi), vMax));
      if (!i64x2.all_true(okLo) || !i64x2.all_true(okHi)) {
        // The scalar update up to the failing neuron, which stops the run untouched.
        for (let j = i; j < i + 4; j++) {
          const r = neuron(true, poisson, j, vp, exp, inp, refp, rexp, rinp, lut, thr, key, wPoisson, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
          if (r < 0) {
            stop = j;
            return count;
          }
          store<i32>(spikesp + (<usize>count << 2), j);
          count += r;
        }
        continue;
      }
    }
    v128.store(rexp + o, zero);
    v128.store(rinp + o, zero);
    v128.store(exp + o, joinLow(f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(exLo, vP11ex), arrLo)), f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(exHi, vP11ex), arrHi))));
    v128.store(inp + o, joinLow(f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(ihLo, vP11in), inLo)), f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(ihHi, vP11in), inHi))));
    const ref = v128.load(refp + o);
    const free = i32x4.eq(ref, zero);
    const heldLo = v128.bitselect(intLo, vLo, i64x2.extend_low_i32x4_s(free));
    const heldHi = v128.bitselect(intHi, vHi, i64x2.extend_low_i32x4_s(highHalf(free)));
    const spkLo = f64x2.ge(heldLo, vTh);
    const spkHi = f64x2.ge(heldHi, vTh);
    const spk = narrowMasks(spkLo, spkHi);
    // ref == 0 ? 0 : ref - 1, then refractorySteps where it spiked.
    v128.store(refp + o, v128.bitselect(vRefSteps, v128.andnot(i32x4.sub(ref, one), free), spk));
    v128.store(vp + o, joinLow(f32x4.demote_f64x2_zero(v128.bitselect(vReset, heldLo, spkLo)), f32x4.demote_f64x2_zero(v128.bitselect(vReset, heldHi, spkHi))));
    const bits = i32x4.bitmask(spk);
    if (bits != 0) {
      if (bits & 1) store<i32>(spikesp + (<usize>(count++) << 2), i);
      if (bits & 2) store<i32>(spikesp + (<usize>(count++) << 2), i + 1);
      if (bits & 4) store<i32>(spikesp + (<usize>(count++) << 2), i + 2);
      if (bits & 8) store<i32>(spikesp + (<usize>(count++) << 2), i + 3);
    }
  }
  for (; i < to; i++) {
    const r = neuron(guarded, poisson, i, vp, exp, inp, refp, rexp, rinp, lut, thr, key, wPoisson, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
    if (r < 0) {
      stop = i;
      return count;
    }
    store<i32>(spikesp + (<usize>count << 2), i);
    count += r;
  }
  stop = to;
  return count;
}

/**
 * The four kernels: plain or guarded, with or without a fused Poisson drive
 * (lut/thr/key/wPoisson ignored without). Returns the new spike count;
 * guarded runs set stoppedAt() (`to`, or the failing neuron). `cap` is used
 * by the guarded kernels only.
 */
export function lifPlain(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, lut: usize, thr: usize, key: i32, wPoisson: f64, el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64): i32 {
  return run(false, false, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, lut, thr, key, wPoisson, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
}

export function lifPoisson(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, lut: usize, thr: usize, key: i32, wPoisson: f64, el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64): i32 {
  return run(false, true, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, lut, thr, key, wPoisson, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
}

export function lifGuarded(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, lut: usize, thr: usize, key: i32, wPoisson: f64, el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64): i32 {
  return run(true, false, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, lut, thr, key, wPoisson, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
}

export function lifGuardedPoisson(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, lut: usize, thr: usize, key: i32, wPoisson: f64, el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64): i32 {
  return run(true, true, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, lut, thr, key, wPoisson, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
}
