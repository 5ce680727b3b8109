import { lifRunFaulted, lifRunFaultedF32 } from './lif_run.js';
import type { FusedPoisson, LifBuffers, LifKernelParams } from './lif_step.js';

/**
 * LifStep for a population range that holds faulted neurons: the same update
 * (lifRun in faulted mode, lif_run.ts), but each neuron with a non-zero fault
 * code takes the faulted update (neuron_fault.ts) in place of the membrane
 * update; its currents are updated as any neuron's. A kernel of its own
 * because the possible call inside the loop slows the healthy loop down by
 * more than 2x (measured with the kernel bench: 7.8k vs 21k steps/s on the
 * scale-0.1 microcircuit); the plain LifStep runs wherever no neuron of the
 * range is faulted.
 */
export function lifStepFaulted(k: LifKernelParams, poisson: FusedPoisson | null, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  return lifRunFaulted(k, poisson, from, to, stateOffset, ringOffset, st, spikes, count);
}

/** lifStepFaulted in single precision (lif_step.ts lifStepF32; a drifted neuron: neuron_fault.ts faultedNeuronUpdateF32). */
export function lifStepFaultedF32(k: LifKernelParams, poisson: FusedPoisson | null, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  return lifRunFaultedF32(k, poisson, from, to, stateOffset, ringOffset, st, spikes, count);
}
