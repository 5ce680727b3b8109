import type { StormKernel } from '../../kernels/cpu/inject_storm.js';

/** A fault that acts through the neuron fault table: it writes its codes for its targets. */
export interface NeuronFaultContribution {
  writeFaults(code: Uint8Array, params: Float32Array): void;
}

/** What the controller lends to faults whose effect lives in a shared table. */
export interface FaultHooks {
  /** Storms changed: republish the step effects. */
  setStorm(id: string, storm: StormKernel | null): void;
  /** Neuron faults changed: rebuild the fault table from every active one, in injection order. */
  setNeuronFault(id: string, contribution: NeuronFaultContribution | null): void;
}
