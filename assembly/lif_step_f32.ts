// AssemblyScript source of the single-precision LIF kernels in
// kernels/wasm/cpu_kernels.wasm (npm run build:wasm): SimulationOptions.precision
// 'float32'.
//
// The iaf_psc_exp update of kernels/cpu/lif_run.ts with f32 true (the readable
// reference: every operation rounded to float32, in the float64 update's
// order), four neurons per f32x4. It gives the reference's results bit for
// bit because both do the same IEEE-754 float32 operations in the same order:
// wasm's f32 add/sub/mul round to nearest even, as Math.fround of the float64
// operation on float32 values does (float64 holds more than twice float32's
// significand bits, so rounding twice gives the float32 result), and there is
// no fused multiply-add (wasm SIMD has none outside relaxed-simd, which this
// module does not use). Nothing is widened or narrowed: loads and stores are
// float32, which is what makes it about twice as fast as the f64x2 kernels of
// lif_step.ts. Parameters come rounded to float32 (the block holds them as
// float64 values that are float32: src/backends/cpu/wasm-lif.ts).
//
// Every quad takes the whole update with lane selects, branch-free up to the
// spike test (refractory lanes are common enough that a branch to a slow path
// cost more in mispredictions: 300 against 228 ms of CUBA's 10 s, measured
// with node --cpu-prof); quads the guards flag, and tails, run neuron by
// neuron.
// Pointers as in lif_step.ts: byte addresses already offset to the replica
// and the ring slot. No allocation, no runtime.
import { clearRings, setStop, stoppedAt } from './lif_step';

const FLOAT32_MAX: f32 = 3.4028234663852886e38;

/**
 * One neuron, as lifRun's loop body in single precision (tails, and quads
 * the guards flag). Returns -1 when a guard test fails (nothing of the
 * neuron written), else 1 when it spiked, 0 when not.
 */
// @ts-ignore: decorator
@inline function neuron32(
  guarded: bool, i: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize,
  el: f32, th: f32, reset: f32, dcTerm: f32, p22: f32, p11ex: f32, p11in: f32, p21ex: f32, p21in: f32, refractorySteps: i32, cap: f64,
): i32 {
  const o = <usize>i << 2;
  const arriving = load<f32>(rexp + o);
  const arrivingIn = load<f32>(rinp + o);
  const ex = load<f32>(exp + o);
  const inh = load<f32>(inp + o);
  const vm = load<f32>(vp + o);
  const integrated: f32 = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
  // The cap is compared as the reference compares it: the float32 input widened, against the float64 cap.
  if (guarded && !(<f64>abs<f32>(arriving) <= cap && <f64>abs<f32>(arrivingIn) <= cap && abs<f32>(integrated) <= FLOAT32_MAX)) return -1;
  store<f32>(rexp + o, 0);
  store<f32>(rinp + o, 0);
  store<f32>(exp + o, ex * p11ex + arriving);
  store<f32>(inp + o, inh * p11in + arrivingIn);
  const ref = load<i32>(refp + o);
  const held = ref == 0 ? integrated : vm;
  const spiked = held >= th;
  store<i32>(refp + o, spiked ? refractorySteps : ref == 0 ? 0 : ref - 1);
  store<f32>(vp + o, spiked ? reset : held);
  return spiked ? 1 : 0;
}

/**
 * A quad the guards flag, neuron by neuron with the reference's exact tests,
 * up to a failing neuron, which stops the run untouched: then the count
 * comes back complemented (negative) and the neuron is in `stop`. Out of
 * line, as lif_step.ts guardedPair (inlined, it made V8 spill the loop's constants).
 */
function guardedQuad(
  i: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32,
  el: f32, th: f32, reset: f32, dcTerm: f32, p22: f32, p11ex: f32, p11in: f32, p21ex: f32, p21in: f32, refractorySteps: i32, cap: f64,
): i32 {
  for (let j = i; j < i + 4; j++) {
    const r = neuron32(true, j, vp, exp, inp, refp, rexp, rinp, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
    if (r < 0) {
      setStop(j);
      return ~count;
    }
    store<i32>(spikesp + (<usize>count << 2), j);
    count += r;
  }
  return count;
}

/** Neurons i to i + 3. Returns the new spike count (complemented when a guard test stopped the run). */
// @ts-ignore: decorator
@inline function quad(
  guarded: bool, checkState: bool, i: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32,
  el: f32, th: f32, reset: f32, dcTerm: f32, p22: f32, p11ex: f32, p11in: f32, p21ex: f32, p21in: f32, refractorySteps: i32, cap: f64,
  vEl: v128, vTh: v128, vReset: v128, vDc: v128, vP22: v128, vP11ex: v128, vP11in: v128, vP21ex: v128, vP21in: v128, vRefSteps: v128, vCap: v128, vMax: v128, vAbs: v128,
): i32 {
  const o = <usize>i << 2;
  const arr = v128.load(rexp + o);
  const arrIn = v128.load(rinp + o);
  const ex = v128.load(exp + o);
  const ih = v128.load(inp + o);
  const vm = v128.load(vp + o);
  // el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in, left to right, each operation float32.
  const integrated = f32x4.add(f32x4.add(f32x4.add(f32x4.add(vEl, f32x4.mul(f32x4.sub(vm, vEl), vP22)), vDc), f32x4.mul(ex, vP21ex)), f32x4.mul(ih, vP21in));
  const refs = v128.load(refp + o);
  let suspect: i32 = 0;
  if (guarded) {
    // The guards' tests on float32 bit patterns (see lif_step.ts pair()): |a| <= cap is |a| <= vCap (the
    // largest float32 <= cap); |integrated| <= FLOAT32_MAX is exact here (integrated is a float32):
    // its magnitude's bits at most FLOAT32_MAX's, which infinity and NaN exceed.
    const inputs = v128.or(i32x4.gt_s(v128.and(arr, vAbs), vCap), i32x4.gt_s(v128.and(arrIn, vAbs), vCap));
    // Skipped where the caller proved the state bounded for this step (lif_step.ts stateBounded).
    suspect = i32x4.bitmask(checkState ? v128.or(inputs, i32x4.gt_s(v128.and(integrated, vAbs), vMax)) : inputs);
  }
  if (guarded && suspect != 0) return guardedQuad(i, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
  v128.store(exp + o, f32x4.add(f32x4.mul(ex, vP11ex), arr));
  v128.store(inp + o, f32x4.add(f32x4.mul(ih, vP11in), arrIn));
  // Branch-free (lane selects) for every quad: a refractory lane in about one quad in eight on CUBA made
  // a branch to a slow path mispredict more than the selects cost. held = ref == 0 ? integrated : vm,
  // then threshold, reset, countdown, as the reference.
  const free = i32x4.eq(refs, i32x4.splat(0));
  const held = v128.bitselect(integrated, vm, free);
  const spk = f32x4.ge(held, vTh);
  v128.store(refp + o, v128.bitselect(vRefSteps, v128.andnot(i32x4.sub(refs, i32x4.splat(1)), free), spk));
  v128.store(vp + o, v128.bitselect(vReset, held, spk));
  const m = i32x4.bitmask(spk);
  if (m == 0) return count;
  // Written always, kept only for a spiking lane (the buffer has room for every neuron to spike): ascending order.
  store<i32>(spikesp + (<usize>count << 2), i);
  count += m & 1;
  store<i32>(spikesp + (<usize>count << 2), i + 1);
  count += (m >> 1) & 1;
  store<i32>(spikesp + (<usize>count << 2), i + 2);
  count += (m >> 2) & 1;
  store<i32>(spikesp + (<usize>count << 2), i + 3);
  count += (m >> 3) & 1;
  return count;
}

// @ts-ignore: decorator
@inline function run32(
  guarded: bool, checkState: bool, from: i32, to: i32,
  vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32,
  el: f32, th: f32, reset: f32, dcTerm: f32, p22: f32, p11ex: f32, p11in: f32, p21ex: f32, p21in: f32, refractorySteps: i32, cap: f64,
): i32 {
  const vEl = f32x4.splat(el);
  const vTh = f32x4.splat(th);
  const vReset = f32x4.splat(reset);
  const vDc = f32x4.splat(dcTerm);
  const vP22 = f32x4.splat(p22);
  const vP11ex = f32x4.splat(p11ex);
  const vP11in = f32x4.splat(p11in);
  const vP21ex = f32x4.splat(p21ex);
  const vP21in = f32x4.splat(p21in);
  const vRefSteps = i32x4.splat(refractorySteps);
  // The largest float32 <= cap (cap > 0, checked where guards are set up), as bits; FLOAT32_MAX's bits.
  const cap32 = <f32>cap;
  const vCap = i32x4.splat(<f64>cap32 > cap ? reinterpret<i32>(cap32) - 1 : reinterpret<i32>(cap32));
  const vMax = i32x4.splat(reinterpret<i32>(FLOAT32_MAX));
  const vAbs = i32x4.splat(0x7fffffff);
  let i = from;
  // Eight neurons (two quads) per iteration: fewer loop overheads per neuron.
  for (; i + 8 <= to; i += 8) {
    count = quad(guarded, checkState, i, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap, vEl, vTh, vReset, vDc, vP22, vP11ex, vP11in, vP21ex, vP21in, vRefSteps, vCap, vMax, vAbs);
    if (guarded && count < 0) {
      clearRings(rexp, rinp, from, stoppedAt());
      return ~count;
    }
    count = quad(guarded, checkState, i + 4, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap, vEl, vTh, vReset, vDc, vP22, vP11ex, vP11in, vP21ex, vP21in, vRefSteps, vCap, vMax, vAbs);
    if (guarded && count < 0) {
      clearRings(rexp, rinp, from, stoppedAt());
      return ~count;
    }
  }
  if (i + 4 <= to) {
    count = quad(guarded, checkState, i, vp, exp, inp, refp, rexp, rinp, spikesp, count, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap, vEl, vTh, vReset, vDc, vP22, vP11ex, vP11in, vP21ex, vP21in, vRefSteps, vCap, vMax, vAbs);
    if (guarded && count < 0) {
      clearRings(rexp, rinp, from, stoppedAt());
      return ~count;
    }
    i += 4;
  }
  for (; i < to; i++) {
    const r = neuron32(guarded, i, vp, exp, inp, refp, rexp, rinp, el, th, reset, dcTerm, p22, p11ex, p11in, p21ex, p21in, refractorySteps, cap);
    if (r < 0) {
      setStop(i);
      clearRings(rexp, rinp, from, i);
      return count;
    }
    store<i32>(spikesp + (<usize>count << 2), i);
    count += r;
  }
  setStop(to);
  clearRings(rexp, rinp, from, to);
  return count;
}

/**
 * A population's parameters from its block (lif_step.ts runWith: LIF_PARAM_COUNT
 * float64 at `params`), each a float32 value held as float64 (wasm-lif.ts
 * writes them so for a float32 plan): narrowing them is exact. The cap stays
 * float64 (the reference compares inputs with it in float64).
 */
// @ts-ignore: decorator
@inline function runWith32(guarded: bool, checkState: bool, from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return run32(guarded, checkState, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count,
    <f32>load<f64>(params, 0), <f32>load<f64>(params, 8), <f32>load<f64>(params, 16), <f32>load<f64>(params, 24), <f32>load<f64>(params, 32),
    <f32>load<f64>(params, 40), <f32>load<f64>(params, 48), <f32>load<f64>(params, 56), <f32>load<f64>(params, 64), <i32>load<f64>(params, 72),
    guarded ? load<f64>(params, 80) : 0);
}

/** lif_step.ts lifPlain in single precision (kernels/cpu/lif_step.ts lifStepF32 without a fused drive). */
export function lifPlainF32(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return runWith32(false, false, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, params);
}

/** lif_step.ts lifGuarded in single precision: the fast loop of lifStepGuardedF32; stops before the first neuron that fails a guard test (stoppedAt()). */
export function lifGuardedF32(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return runWith32(true, true, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, params);
}

/** lif_step.ts lifGuardedInputs in single precision: lifGuardedF32 for a state proved bounded (only the input tests run). */
export function lifGuardedInputsF32(from: i32, to: i32, vp: usize, exp: usize, inp: usize, refp: usize, rexp: usize, rinp: usize, spikesp: usize, count: i32, params: usize): i32 {
  return runWith32(true, false, from, to, vp, exp, inp, refp, rexp, rinp, spikesp, count, params);
}
