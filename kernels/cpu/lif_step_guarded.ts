import { arrivingExcPa, integratedMv, integratedMvF32 } from './lif_neuron.js';
import { FLOAT32_MAX, lifGuardCap, lifRunGuarded, lifRunGuardedF32, lifStoppedAt } from './lif_run.js';
import type { FusedPoisson, GuardKernel, LifBuffers, LifKernelParams } from './lif_step.js';

/**
 * LifStep with the guards fused in (used for healthy ranges when guards are
 * on): the input arriving in this step (ring slot plus the fused Poisson
 * drive) is capped at +-capPa and dropped when non-finite, and a neuron whose
 * membrane or currents are non-finite, or would overflow float32 in this
 * step, is reset, its currents zeroed, held refractory for quarantineSteps,
 * and emits no spike. Counts go to guard.counters like guard_scan.ts's.
 *
 * Built for speed (issue: guards under 5% of a microcircuit step):
 * - Fused, because two separate passes over the state cost 9-14% of a step on
 *   the scale-0.1 microcircuit (bench/guard-share-child.ts).
 * - The fast loop (lifRun in guarded mode, lif_run.ts) only tests; a neuron
 *   that fails a test stops it before anything of that neuron is written,
 *   guardedNeuron updates that neuron with clamping and containment, and the
 *   fast loop resumes after it.
 */
export function lifStepGuarded(k: LifKernelParams, poisson: FusedPoisson | null, guard: GuardKernel, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  lifGuardCap[0] = guard.capPa;
  for (let i = from; ; i = lifStoppedAt() + 1) {
    count = lifRunGuarded(k, poisson, i, to, stateOffset, ringOffset, st, spikes, count);
    if (lifStoppedAt() >= to) return count;
    count = guardedNeuron(k, poisson, guard, lifStoppedAt(), stateOffset, ringOffset, st, spikes, count);
  }
}

/** lifStepGuarded in single precision (lif_step.ts lifStepF32): the fast loop and the slow path both round every operation to float32. */
export function lifStepGuardedF32(k: LifKernelParams, poisson: FusedPoisson | null, guard: GuardKernel, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  lifGuardCap[0] = guard.capPa;
  for (let i = from; ; i = lifStoppedAt() + 1) {
    count = lifRunGuardedF32(k, poisson, i, to, stateOffset, ringOffset, st, spikes, count);
    if (lifStoppedAt() >= to) return count;
    count = guardedNeuron(k, poisson, guard, lifStoppedAt(), stateOffset, ringOffset, st, spikes, count, true);
  }
}

/**
 * One neuron that failed a test of the guarded run: the same update with its
 * input clamped, or contained (also the slow path of the wasm guarded
 * kernel, src/backends/cpu/wasm-lif.ts). `f32`: in single precision, as
 * lifStepGuardedF32's loop (every operation rounded to float32; `k` float32).
 */
export function guardedNeuron(k: LifKernelParams, poisson: FusedPoisson | null, guard: GuardKernel, i: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number, f32 = false): number {
  const { membraneMv: v, currentExcPa: iEx, currentInhPa: iIn, refractorySteps: refractory, ringExcPa: ringEx, ringInhPa: ringIn } = st;
  const s = stateOffset + i;
  const r = ringOffset + i;
  const cap = guard.capPa;
  let arriving = arrivingExcPa(poisson, i, ringEx[r]);
  let arrivingIn = ringIn[r];
  ringEx[r] = 0;
  ringIn[r] = 0;
  if (!(Math.abs(arriving) <= cap && Math.abs(arrivingIn) <= cap)) {
    arriving = arriving !== arriving ? 0 : arriving > cap ? cap : arriving < -cap ? -cap : arriving;
    arrivingIn = arrivingIn !== arrivingIn ? 0 : arrivingIn > cap ? cap : arrivingIn < -cap ? -cap : arrivingIn;
    guard.counters[2 * guard.slot + 1]++;
  }
  const ex = iEx[s];
  const inh = iIn[s];
  let vm = v[s];
  const integrated = f32 ? integratedMvF32(vm, ex, inh, k.restingMv, k.p22, Math.fround(k.p20 * k.dcPa), k.p21ex, k.p21in) : integratedMv(vm, ex, inh, k.restingMv, k.p22, k.p20 * k.dcPa, k.p21ex, k.p21in);
  if (!(Math.abs(integrated) <= FLOAT32_MAX)) {
    v[s] = k.resetMv;
    iEx[s] = 0;
    iIn[s] = 0;
    refractory[s] = guard.quarantineSteps;
    guard.counters[2 * guard.slot]++;
    return count;
  }
  iEx[s] = f32 ? Math.fround(ex * k.p11ex) + arriving : ex * k.p11ex + arriving;
  iIn[s] = f32 ? Math.fround(inh * k.p11in) + arrivingIn : inh * k.p11in + arrivingIn;
  const ref = refractory[s];
  if (ref === 0) vm = integrated;
  else refractory[s] = ref - 1;
  if (vm >= k.thresholdMv) {
    refractory[s] = k.refractorySteps;
    vm = k.resetMv;
    spikes[count++] = i;
  }
  v[s] = vm;
  return count;
}
