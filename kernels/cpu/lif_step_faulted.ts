import { arrivingExcPa, lifRunFaulted, lifStoppedAt } from './lif_run.js';
import type { FusedPoisson, LifBuffers, LifKernelParams } from './lif_step.js';
import { faultedNeuronUpdate } from './neuron_fault.js';

/**
 * LifStep for a population range that holds faulted neurons: the same update
 * (lifRun in faulted mode, lif_run.ts), but each neuron with a non-zero fault
 * code stops the fast loop and takes the faulted update (faultedNeuron, then
 * neuron_fault.ts); the loop resumes after it. Not a call inside the loop: a
 * possible call there slowed the healthy loop down by more than 2x (measured
 * with the kernel bench: 7.8k vs 21k steps/s on the scale-0.1 microcircuit).
 * The plain LifStep runs wherever no neuron of the range is faulted.
 */
export function lifStepFaulted(k: LifKernelParams, poisson: FusedPoisson | null, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  for (let i = from; ; i = lifStoppedAt() + 1) {
    count = lifRunFaulted(k, poisson, i, to, stateOffset, ringOffset, st, spikes, count);
    if (lifStoppedAt() >= to) return count;
    count = faultedNeuron(k, poisson, lifStoppedAt(), stateOffset, ringOffset, st, spikes, count);
  }
}

/** One faulted neuron: its currents as any neuron's, its membrane, refractory count and spike by its fault. */
function faultedNeuron(k: LifKernelParams, poisson: FusedPoisson | null, i: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  const { membraneMv: v, currentExcPa: iEx, currentInhPa: iIn, refractorySteps: refractory, ringExcPa: ringEx, ringInhPa: ringIn } = st;
  const s = stateOffset + i;
  const r = ringOffset + i;
  const ex = iEx[s];
  const inh = iIn[s];
  iEx[s] = ex * k.p11ex + arrivingExcPa(poisson, i, ringEx[r]);
  iIn[s] = inh * k.p11in + ringIn[r];
  ringEx[r] = 0;
  ringIn[r] = 0;
  if (faultedNeuronUpdate(st.faultCode[s], st.faultParams, s, v[s], ex, inh, k.restingMv, k.thresholdMv, k.resetMv, k.refractorySteps, v, refractory) !== 0) spikes[count++] = i;
  return count;
}
