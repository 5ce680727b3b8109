import type { StormKernel } from '../../kernels/cpu/inject_storm.js';

/** A fault that acts through the neuron fault table: it writes its codes for its targets. */
export interface NeuronFaultContribution {
  writeFaults(code: Uint8Array, params: Float32Array): void;
  /** Whether it targets entry (replica b, neuron i). */
  covers(b: number, i: number): boolean;
}

/** What the controller lends to faults whose effect lives in a shared table. */
export interface FaultHooks {
  /** Storms changed: republish the step effects. */
  setStorm(id: string, storm: StormKernel | null): void;
  /** Neuron faults changed: rebuild the fault table from every active one, in injection order. */
  setNeuronFault(id: string, contribution: NeuronFaultContribution | null): void;
  /** Step at which the neuron fault table last changed (membranes follow it from the next step). */
  neuronTableChangedAt(): number;
  /** Whether an active neuron fault other than `id` targets (replica b, neuron i). */
  neuronCoveredByOther(id: string, b: number, i: number): boolean;
}
