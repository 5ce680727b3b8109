// AssemblyScript source of the LIF kernels in kernels/wasm/cpu_kernels.wasm (npm run build:wasm).
//
// The iaf_psc_exp update of kernels/cpu/lif_run.ts (the readable reference:
// read that first), two neurons per f64x2, four per loop iteration. It gives
// the reference's results bit for bit because it does the same IEEE-754
// operations in the same order on the same precision: every value is read
// from float32 and widened to float64 (exact), the update is computed in
// float64 (no fused multiply-add: wasm SIMD has none outside relaxed-simd,
// which this module does not use), and each stored value is narrowed to
// float32 with round-to-nearest-even, as a Float32Array store does in
// JavaScript. The spike test compares the unrounded float64 membrane with
// the threshold, as the reference does. Pairs where a neuron is refractory
// or spikes, and tails, run the same update lane by lane.
//
// A fused Poisson drive is not here: the `cpu` backend adds it to the ring
// slot first (poisson_drive.ts), which gives the same input.
//
// All pointers are byte addresses in the imported memory, already offset to
// the replica (state) and the ring slot (ring): neuron i of the range
// [from, to) is at ptr + 4 * i. No allocation, no runtime.

/** Where the last guarded run stopped: `to`, or the neuron that failed a guard test (read by stoppedAt). */
let stop: i32 = 0;

export function stoppedAt(): i32 {
  return stop;
}

/** Sets where the last guarded run stopped (the single-precision kernels, lif_step_f32.ts, stop runs too). */
// @ts-ignore: decorator
@inline export function setStop(i: i32): void {
  stop = i;
}

const FLOAT32_MAX: f64 = 3.4028234663852886e38;
const C1: i32 = 0x85ebca6b;
const C2: i32 = 0xc2b2ae35;

/** kernels/cpu/counter_rng.ts fmix32. */
// @ts-ignore: decorator
@inline export function fmix32(h: i32): i32 {
  h ^= <i32>(<u32>h >> 16);
  h = h * C1;
  h ^= <i32>(<u32>h >> 13);
  h = h * C2;
  h ^= <i32>(<u32>h >> 16);
  return h;
}

/** fmix32 of four lanes (i32x4.mul keeps the low 32 bits, as Math.imul). */
// @ts-ignore: decorator
@inline export function fmix32x4(h: v128): v128 {
  h = v128.xor(h, i32x4.shr_u(h, 16));
  h = i32x4.mul(h, i32x4.splat(C1));
  h = v128.xor(h, i32x4.shr_u(h, 13));
  h = i32x4.mul(h, i32x4.splat(C2));
  h = v128.xor(h, i32x4.shr_u(h, 16));
  return h;
}

/** kernels/cpu/counter_rng.ts bitsAt(key, neuron). */
// @ts-ignore: decorator
@inline export function bitsAt(key: i32, neuron: i32): u32 {
  return <u32>fmix32(fmix32(key ^ ((neuron + 1) * <i32>0xcc9e2d51)) ^ 0x1b873593);
}

/** kernels/cpu/poisson_drive.ts poissonFromLut: the LUT by the top 12 bits, the thresholds where the bucket is split (255). */
// @ts-ignore: decorator
@inline export function poissonDraw(lut: usize, thr: usize, h: u32): i32 {
  let k = <i32>load<u8>(lut + (h >>> 20));
  if (k == 255) {
    k = 0;
    while (h > load<u32>(thr + (<usize>k << 2))) k++;
  }
  return k;
}

/** The lower two f32 lanes of each of a and b as one f32x4 (a0, a1, b0, b1). */
// @ts-ignore: decorator
@inline function joinLow(a: v128, b: v128): v128 {
  return i8x16.shuffle(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 16, 17, 18, 19, 20, 21, 22, 23);
}

/**
 * One neuron, as lifRun's loop body (scalar: tails, and pairs the guards
 * flag). Returns -1 when a guard test fails (nothing of the neuron written),
 * else 1 when it spiked, 0 when not.
 */
// @ts-ignore: decorator
@inline function neuron(
  guarded: bool, i: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize,
  el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64,
): i32 {
  const o = <usize>i << 2;
  const arriving = <f64>load<f32>(rexp + o);
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

/**
 * A pair the guards flag, neuron by neuron with the reference's exact tests,
 * up to a failing neuron, which stops the run untouched: then the count
 * comes back complemented (negative) and the neuron is in `stop`. Out of
 * line (binaryen does not inline it into the loop): inlined, its code made
 * V8 spill the loop's constants.
 */
function guardedPair(
  i: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32,
  el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64,
): i32 {
  for (let j = i; j < i + 2; j++) {
    const r = neuron(true, j, vp, exp, inp, refp, rexp, rinp, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
    if (r < 0) {
      stop = j;
      return ~count;
    }
    store<i32>(spikesp + (<usize>count << 2), j);
    count += r;
  }
  return count;
}

/** Neurons i and i + 1. Returns the new spike count (complemented when a guard test stopped the run). */
// @ts-ignore: decorator
@inline function pair(
  guarded: bool, checkState: bool, i: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32,
  el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64,
  vEl: v128, vTh: v128, vDc: v128, vP22: v128, vP11ex: v128, vP11in: v128, vP21ex: v128, vP21in: v128, vCap: v128, vMax: v128, vAbs: v128,
): i32 {
  const o = <usize>i << 2;
  const arrF = v128.load64_zero(rexp + o);
  const inF = v128.load64_zero(rinp + o);
  const arr = f64x2.promote_low_f32x4(arrF);
  const arrIn = f64x2.promote_low_f32x4(inF);
  const ex = f64x2.promote_low_f32x4(v128.load64_zero(exp + o));
  const ih = f64x2.promote_low_f32x4(v128.load64_zero(inp + o));
  const vm = f64x2.promote_low_f32x4(v128.load64_zero(vp + o));
  // el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in, left to right.
  const integrated = f64x2.add(f64x2.add(f64x2.add(f64x2.add(vEl, f64x2.mul(f64x2.sub(vm, vEl), vP22)), vDc), f64x2.mul(ex, vP21ex)), f64x2.mul(ih, vP21in));
  const d = f32x4.demote_f64x2_zero(integrated);
  const refs = load<u64>(refp + o);
  const spk = f64x2.ge(integrated, vTh);
  let suspect: u64 = 0;
  if (guarded) {
    // The guards' tests on float32 bit patterns, four lanes at once: without the sign bit, a float's
    // bits order as integers as its magnitude does, and NaN's lie above infinity's (NaN fails, as in
    // the reference). |arriving| <= cap is |a| <= vCap (the largest float32 <= cap) for a float32 a.
    // |integrated| <= FLOAT32_MAX holds whenever its rounding d is below FLOAT32_MAX in magnitude;
    // d = +-FLOAT32_MAX, infinite or NaN only flags the pair, and the exact scalar tests decide.
    const inputs = i32x4.gt_s(v128.and(joinLow(arrF, inF), vAbs), vCap);
    // Skipped where the caller proved the state bounded for this step (stateBounded below).
    suspect = <u64>i32x4.bitmask(checkState ? v128.or(inputs, i32x4.gt_s(v128.and(d, vAbs), vMax)) : inputs);
  }
  // One branch for the common case: neither neuron refractory (held = integrated) nor spiking (nor
  // flagged by the guards); the refractory counts stay 0.
  if ((refs | <u64>i64x2.bitmask(spk) | suspect) == 0) {
    v128.store64_lane(exp + o, f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(ex, vP11ex), arr)), 0);
    v128.store64_lane(inp + o, f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(ih, vP11in), arrIn)), 0);
    v128.store64_lane(vp + o, d, 0);
    return count;
  }
  if (guarded && suspect != 0) return guardedPair(i, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
  v128.store64_lane(exp + o, f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(ex, vP11ex), arr)), 0);
  v128.store64_lane(inp + o, f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(ih, vP11in), arrIn)), 0);
  // The rest as the reference, lane by lane: held = ref == 0 ? integrated : vm, then threshold, reset, countdown.
  const ref0 = <i32>refs;
  const held0 = ref0 == 0 ? f64x2.extract_lane(integrated, 0) : f64x2.extract_lane(vm, 0);
  const spiked0 = held0 >= th;
  store<i32>(refp + o, spiked0 ? refractorySteps : ref0 == 0 ? 0 : ref0 - 1);
  store<f32>(vp + o, <f32>(spiked0 ? reset : held0));
  store<i32>(spikesp + (<usize>count << 2), i);
  count += spiked0 ? 1 : 0;
  const ref1 = <i32>(refs >>> 32);
  const held1 = ref1 == 0 ? f64x2.extract_lane(integrated, 1) : f64x2.extract_lane(vm, 1);
  const spiked1 = held1 >= th;
  store<i32>(refp + o, spiked1 ? refractorySteps : ref1 == 0 ? 0 : ref1 - 1, 4);
  store<f32>(vp + o, <f32>(spiked1 ? reset : held1), 4);
  store<i32>(spikesp + (<usize>count << 2), i + 1);
  count += spiked1 ? 1 : 0;
  return count;
}

/**
 * The ring slots of neurons [from, to) consumed: zeroed by one memory.fill
 * (a memset) per run rather than by two stores per pair in the loop.
 */
// @ts-ignore: decorator
@inline export function clearRings(rexp: usize, rinp: usize, from: i32, to: i32): void {
  if (to > from) {
    memory.fill(rexp + (<usize>from << 2), 0, <usize>(to - from) << 2);
    memory.fill(rinp + (<usize>from << 2), 0, <usize>(to - from) << 2);
  }
}

// @ts-ignore: decorator
@inline function run(
  guarded: bool, checkState: bool, from: i32, to: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32,
  el: f64, th: f64, reset: f64, dcTerm: f64, p22: f64, p11ex: f64, p11in: f64, p21ex: f64, p21in: f64, refractorySteps: i32, cap: f64,
): i32 {
  const vEl = f64x2.splat(el);
  const vTh = f64x2.splat(th);
  const vDc = f64x2.splat(dcTerm);
  const vP22 = f64x2.splat(p22);
  const vP11ex = f64x2.splat(p11ex);
  const vP11in = f64x2.splat(p11in);
  const vP21ex = f64x2.splat(p21ex);
  const vP21in = f64x2.splat(p21in);
  // The guards' bounds as float32 bit patterns: the largest float32 <= cap (cap > 0, checked where
  // guards are set up), and the pattern just below FLOAT32_MAX's (see pair()).
  const cap32 = <f32>cap;
  const vCap = i32x4.splat(<f64>cap32 > cap ? reinterpret<i32>(cap32) - 1 : reinterpret<i32>(cap32));
  const vMax = i32x4.splat(reinterpret<i32>(<f32>FLOAT32_MAX) - 1);
  const vAbs = i32x4.splat(0x7fffffff);
  let i = from;
  // Four neurons (two pairs) per iteration: fewer loop overheads per neuron.
  for (; i + 4 <= to; i += 4) {
    count = pair(guarded, checkState, i, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap, vEl, vTh, vDc, vP22, vP11ex, vP11in, vP21ex, vP21in, vCap, vMax, vAbs);
    if (guarded && count < 0) {
      clearRings(rexp, rinp, from, stop);
      return ~count;
    }
    count = pair(guarded, checkState, i + 2, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap, vEl, vTh, vDc, vP22, vP11ex, vP11in, vP21ex, vP21in, vCap, vMax, vAbs);
    if (guarded && count < 0) {
      clearRings(rexp, rinp, from, stop);
      return ~count;
    }
  }
  if (i + 2 <= to) {
    count = pair(guarded, checkState, i, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap, vEl, vTh, vDc, vP22, vP11ex, vP11in, vP21ex, vP21in, vCap, vMax, vAbs);
    if (guarded && count < 0) {
      clearRings(rexp, rinp, from, stop);
      return ~count;
    }
    i += 2;
  }
  for (; i < to; i++) {
    const r = neuron(guarded, i, vp, exp, inp, refp, rexp, rinp, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
    if (r < 0) {
      stop = i;
      clearRings(rexp, rinp, from, i);
      return count;
    }
    store<i32>(spikesp + (<usize>count << 2), i);
    count += r;
  }
  stop = to;
  clearRings(rexp, rinp, from, to);
  return count;
}

/**
 * A population's parameters, read from its block of LIF_PARAM_COUNT float64
 * at `params` (src/backends/cpu/wasm-lif.ts writes it: el, th, reset, dcTerm,
 * p22, p11ex, p11in, p21ex, p21in, refractory steps as a float64 integer, the
 * guards' cap, the fused drive's weight). Why a block and not arguments: a
 * call from JavaScript whose target V8 cannot pin to one instance (a process
 * with several backends, each with its own instance) goes through the
 * generic wrapper, which boxes every float64 argument into a new heap number
 * (36 MB of garbage per campaign job, measured); integer arguments are not
 * boxed.
 */
@inline function runWith(guarded: bool, checkState: bool, from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return run(guarded, checkState, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count,
    load<f64>(params, 0), load<f64>(params, 8), load<f64>(params, 16), load<f64>(params, 24), load<f64>(params, 32),
    load<f64>(params, 40), load<f64>(params, 48), load<f64>(params, 56), load<f64>(params, 64), <i32>load<f64>(params, 72),
    guarded ? load<f64>(params, 80) : 0);
}

/**
 * LifStep of neurons [from, to) (kernels/cpu/lif_step.ts without a fused
 * drive), the population's parameters at `params` (runWith). Returns the new
 * spike count (spikes written from index `count`).
 */
export function lifPlain(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return runWith(false, false, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, params);
}

/**
 * The fast loop of lifStepGuarded (kernels/cpu/lif_step_guarded.ts) with the
 * guards' cap (pA, > 0, in the parameter block): stops before the first
 * neuron that fails a guard test, leaving it untouched (stoppedAt() tells
 * which; `to` when none failed). Returns the new spike count.
 */
export function lifGuarded(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return runWith(true, true, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, params);
}

/**
 * lifGuarded where the caller has proved |integrated| <= FLOAT32_MAX for
 * every neuron of the range in this step (src/backends/cpu/wasm-kernels.ts:
 * the state was bounded by stateBounded() within the steps that bound lasts):
 * only the input tests run. Same results as lifGuarded on such a state.
 */
export function lifGuardedInputs(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return runWith(true, false, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, params);
}

/**
 * 1 when every membrane and current of neurons [from, to) is within
 * +-bound (a positive float32 given by its bits), finite and not NaN; else 0.
 */
export function stateBounded(from: i32, to: i32, vp: usize, exp: usize, inp: usize, boundBits: i32): i32 {
  const abs = i32x4.splat(0x7fffffff);
  const bound = i32x4.splat(boundBits);
  let over = i32x4.splat(0);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const o = <usize>i << 2;
    over = v128.or(over, i32x4.gt_s(v128.and(v128.load(vp + o), abs), bound));
    over = v128.or(over, i32x4.gt_s(v128.and(v128.load(exp + o), abs), bound));
    over = v128.or(over, i32x4.gt_s(v128.and(v128.load(inp + o), abs), bound));
  }
  if (v128.any_true(over)) return 0;
  for (; i < to; i++) {
    const o = <usize>i << 2;
    if ((load<i32>(vp + o) & 0x7fffffff) > boundBits || (load<i32>(exp + o) & 0x7fffffff) > boundBits || (load<i32>(inp + o) & 0x7fffffff) > boundBits) return 0;
  }
  return 1;
}

/**
 * 1 when every arriving input of neurons [from, to) (both ring slots) is
 * surely within +-cap (capBits: the largest float32 <= cap, as bits), finite
 * and not NaN; 0 when one may not be. With the state proved bounded, a range
 * that passes needs none of the guards' tests: lifPlain gives lifGuarded's
 * results there. Conservative and cheap: it compares the top 16 bits of each
 * magnitude (sign dropped: exponent and 7 mantissa bits) with those of the
 * cap, eight inputs per vector operation, so an input within 1/128 of the
 * cap (or NaN, or infinite) fails it, and the caller runs the exact tests.
 */
export function inputsWithin(from: i32, to: i32, rexp: usize, rinp: usize, capBits: i32): i32 {
  const absHigh = i16x8.splat(0x7fff);
  let top = i16x8.splat(0);
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const o = <usize>i << 2;
    // The high halves of four excitatory and four inhibitory inputs (little-endian: bytes 2-3 of each lane).
    const high = i8x16.shuffle(v128.load(rexp + o), v128.load(rinp + o), 2, 3, 6, 7, 10, 11, 14, 15, 18, 19, 22, 23, 26, 27, 30, 31);
    top = i16x8.max_u(top, v128.and(high, absHigh));
  }
  if (v128.any_true(i16x8.ge_u(top, i16x8.splat(<i16>(capBits >>> 16))))) return 0;
  for (; i < to; i++) {
    const o = <usize>i << 2;
    if ((load<i32>(rexp + o) & 0x7fffffff) > capBits || (load<i32>(rinp + o) & 0x7fffffff) > capBits) return 0;
  }
  return 1;
}
