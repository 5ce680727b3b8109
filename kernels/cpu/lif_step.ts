import { bitsAt } from './counter_rng.js';
import { poissonFromLut, type PoissonTable } from './poisson_drive.js';

/**
 * LifStep: one exact-integration step of iaf_psc_exp neurons [from, to) of one
 * population in one replica, in NEST's order: membrane (unless refractory)
 * with the currents of the previous step, then currents decay and take this
 * step's arriving input, then threshold, reset and refractory countdown.
 *
 * With `poisson`, a single excitatory Poisson drive is fused in: its input is
 * added to the arriving input and rounded to float32 exactly as the ring
 * buffer would have stored it, so the result is bit-identical to running
 * PoissonDrive first. Ranges holding faulted neurons run lifStepFaulted
 * instead, and lifStepGuarded runs where guards are on. Writes spiking neuron
 * indices into `spikes` from `count`; returns the new count. No allocation.
 *
 * One source: the update itself is lifRun below, which all three kernels run
 * (see there).
 */
export interface LifKernelParams {
  restingMv: number;
  thresholdMv: number;
  resetMv: number;
  /** Constant current: the neuron's own dcPa plus DC drives. */
  dcPa: number;
  p22: number;
  p20: number;
  p11ex: number;
  p11in: number;
  p21ex: number;
  p21in: number;
  refractorySteps: number;
}

/**
 * Guards (a defence the simulator can switch off; fused into LifStep by
 * lif_step_guarded.ts, run as passes by guard_scan.ts around the faulted
 * kernel and on gpu.js): arriving input per step is capped at +-capPa and a
 * non-finite input is dropped; a neuron whose membrane or currents become
 * non-finite is reset, its currents zeroed, and quarantined (held
 * refractory) for quarantineSteps. Counts go to counters[2 * slot]
 * (contained) and counters[2 * slot + 1] (inputs capped or dropped).
 */
export interface GuardKernel {
  capPa: number;
  quarantineSteps: number;
  counters: Float64Array;
  slot: number;
}

export interface FusedPoisson {
  table: PoissonTable;
  weightPa: number;
  key: number;
}

export function lifStep(
  k: LifKernelParams,
  poisson: FusedPoisson | null,
  from: number,
  to: number,
  stateOffset: number,
  ringOffset: number,
  v: Float32Array,
  iEx: Float32Array,
  iIn: Float32Array,
  refractory: Int32Array,
  ringEx: Float32Array,
  ringIn: Float32Array,
  spikes: Int32Array,
  count: number,
): number {
  return lifRun(LIF_PLAIN, k, poisson, from, to, stateOffset, ringOffset, v, iEx, iIn, refractory, ringEx, ringIn, NO_FAULTS, spikes, count);
}

/**
 * What lifRun checks at each neuron before it writes anything of that neuron:
 * nothing (LifStep), the guards' tests (lifStepGuarded: input within +-cap and
 * finite, integrated membrane within float32), or the fault table
 * (lifStepFaulted: a non-zero code). A neuron that fails stops the run; the
 * kernel updates it on its own slow path and resumes after it.
 */
export const LIF_PLAIN = 0;
export const LIF_GUARDED = 1;
export const LIF_FAULTED = 2;

/** The fault table of a plain or guarded run (never read). */
const NO_FAULTS = new Uint8Array(0);
const NO_THRESHOLDS = new Uint32Array(0);

/** The largest finite float32. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * The guards' cap in pA for the next guarded run (set by lifStepGuarded),
 * passed through a Float64Array so that the loop gets it as an unboxed double
 * (a number argument is re-checked and unboxed at each use).
 */
export const lifGuardCap = new Float64Array(1);

let stoppedAt = 0;

/** Where the last lifRun stopped: `to`, or the neuron that failed its check. */
export function lifStoppedAt(): number {
  return stoppedAt;
}

/**
 * The one source of the iaf_psc_exp update on the CPU: neurons [from, to)
 * until one fails the check of `mode` (LIF_PLAIN never stops); sets
 * lifStoppedAt and returns the spike count. NEST's order: the membrane
 * integrates the currents of the previous step (unless refractory), then the
 * currents decay and take this step's arriving input, then threshold, reset
 * and refractory countdown.
 *
 * Built for V8:
 * - Straight-line update: after the check, every operation runs for every
 *   neuron, refractory or not, spiking or not (results are selected, not
 *   branched to). V8 compiles this loop during the first steps; a branch first
 *   taken after that (the first refractory neuron) deoptimised it, and the code
 *   it compiled next was sometimes much slower. warmCpuKernels
 *   (src/backends/warm-kernels.ts) runs every mode on scratch state first, so
 *   that every branch here has been taken before V8 compiles it.
 * - No call in the loop that V8 does not inline: a neuron that needs the rare
 *   clamping, containment or fault code leaves the loop, and the kernel's slow
 *   path updates it (a call inside the loop slowed the healthy update down by
 *   more than 2x; compiled into the loop, the rare code cost 3% of a step).
 * - Every value of a neuron is read and checked before any is written, so a
 *   stop leaves that neuron untouched.
 * - One check of the state for the guards: a non-finite membrane or current
 *   makes the integrated membrane non-finite (it is computed for refractory
 *   neurons too), and finite currents cannot overflow (they decay and take
 *   capped input), so checking that one value covers all three.
 */
export function lifRun(
  mode: number,
  k: LifKernelParams,
  poisson: FusedPoisson | null,
  from: number,
  to: number,
  stateOffset: number,
  ringOffset: number,
  v: Float32Array,
  iEx: Float32Array,
  iIn: Float32Array,
  refractory: Int32Array,
  ringEx: Float32Array,
  ringIn: Float32Array,
  faultCode: Uint8Array,
  spikes: Int32Array,
  count: number,
): number {
  const el = k.restingMv;
  const th = k.thresholdMv;
  const reset = k.resetMv;
  const dcTerm = k.p20 * k.dcPa;
  const { p22, p11ex, p11in, p21ex, p21in, refractorySteps } = k;
  const lut = poisson ? poisson.table.lut : null;
  const thr = poisson ? poisson.table.thresholds : NO_THRESHOLDS;
  const wPoisson = poisson ? poisson.weightPa : 0;
  const key = poisson ? poisson.key : 0;
  const cap = lifGuardCap[0];
  let i = from;
  for (; i < to; i++) {
    const s = stateOffset + i;
    const r = ringOffset + i;
    let arriving = ringEx[r];
    // Rounded to float32 as the ring slot would have stored it (bit-identical to running PoissonDrive first).
    if (lut !== null) arriving = Math.fround(arriving + poissonFromLut(lut, thr, bitsAt(key, i)) * wPoisson);
    const arrivingIn = ringIn[r];
    const ex = iEx[s];
    const inh = iIn[s];
    const vm = v[s];
    const integrated = integratedMv(vm, ex, inh, el, p22, dcTerm, p21ex, p21in);
    // NaN fails every comparison and stops a guarded run too.
    if (mode === LIF_GUARDED ? !(Math.abs(arriving) <= cap && Math.abs(arrivingIn) <= cap && Math.abs(integrated) <= FLOAT32_MAX) : mode === LIF_FAULTED && faultCode[s] !== 0) break;
    ringEx[r] = 0;
    ringIn[r] = 0;
    iEx[s] = ex * p11ex + arriving;
    iIn[s] = inh * p11in + arrivingIn;
    const ref = refractory[s];
    const refLeft = ref - 1; // computed for every neuron: straight-line (see above)
    const held = ref === 0 ? integrated : vm;
    const spiked = held >= th;
    refractory[s] = spiked ? refractorySteps : ref === 0 ? 0 : refLeft;
    v[s] = spiked ? reset : held;
    // Written always, kept only when it spiked: the slot exists, since the
    // buffer has room for every neuron of the range to spike.
    spikes[count] = i;
    count += spiked ? 1 : 0;
  }
  stoppedAt = i;
  return count;
}

/**
 * The membrane after one step of exact integration (NEST iaf_psc_exp, Rotter &
 * Diesmann 1999): V' = E_L + (V - E_L) P22 + P20 I_e + P21ex I_ex + P21in I_in,
 * with the currents of the previous step and dcTerm = P20 I_e. Every CPU
 * kernel integrates through this (a drifted neuron with its own propagators);
 * small enough that V8 always inlines it.
 */
export function integratedMv(vm: number, ex: number, inh: number, restingMv: number, p22: number, dcTerm: number, p21ex: number, p21in: number): number {
  return restingMv + (vm - restingMv) * p22 + dcTerm + ex * p21ex + inh * p21in;
}

/** The arriving excitatory input of neuron i: its ring slot plus the fused drive, as lifRun computes it (for the kernels' slow paths). */
export function arrivingExcPa(poisson: FusedPoisson | null, i: number, slotPa: number): number {
  return poisson === null ? slotPa : Math.fround(slotPa + poissonFromLut(poisson.table.lut, poisson.table.thresholds, bitsAt(poisson.key, i)) * poisson.weightPa);
}
