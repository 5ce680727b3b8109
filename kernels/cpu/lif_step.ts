import { bitsAt } from './counter_rng.js';
import type { PoissonTable } from './poisson_drive.js';

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
 * instead. Writes spiking neuron indices into `spikes` from `count`; returns
 * the new count. No allocation.
 *
 * Straight-line update: after the input, every operation runs for every
 * neuron, refractory or not, spiking or not (results are selected, not
 * branched to). V8 compiles this loop during the first steps; a branch first
 * taken after that (the first refractory neuron) deoptimised it, and the code
 * it compiled next was sometimes much slower (see src/backends/warm-kernels.ts).
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
  const el = k.restingMv;
  const th = k.thresholdMv;
  const reset = k.resetMv;
  const dcTerm = k.p20 * k.dcPa;
  const { p22, p11ex, p11in, p21ex, p21in, refractorySteps } = k;
  const lut = poisson ? poisson.table.lut : null;
  const thr = poisson ? poisson.table.thresholds : null;
  const wPoisson = poisson ? poisson.weightPa : 0;
  const key = poisson ? poisson.key : 0;
  for (let i = from; i < to; i++) {
    const s = stateOffset + i;
    const r = ringOffset + i;
    let arriving = ringEx[r];
    if (lut !== null) {
      const h = bitsAt(key, i);
      let n = lut[h >>> 20];
      if (n === 255) {
        n = 0;
        while (h > thr![n]) n++;
      }
      arriving = Math.fround(arriving + n * wPoisson);
    }
    const ex = iEx[s];
    const inh = iIn[s];
    let vm = v[s];
    iEx[s] = ex * p11ex + arriving;
    iIn[s] = inh * p11in + ringIn[r];
    ringEx[r] = 0;
    ringIn[r] = 0;
    // Straight-line from here (see above).
    const ref = refractory[s];
    const refLeft = ref - 1;
    const integrated = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
    vm = ref === 0 ? integrated : vm;
    const spiked = vm >= th;
    refractory[s] = spiked ? refractorySteps : ref === 0 ? 0 : refLeft;
    v[s] = spiked ? reset : vm;
    // Written always, kept only when it spiked: the slot exists, since the
    // buffer has room for every neuron of the range to spike.
    spikes[count] = i;
    count += spiked ? 1 : 0;
  }
  return count;
}
