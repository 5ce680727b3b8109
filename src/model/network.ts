import type { Drive, InitialPotential, NetworkSpec, NeuronParams } from './spec.js';

export interface PopulationInfo {
  name: string;
  index: number;
  /** First neuron index (populations are contiguous, in spec order). */
  start: number;
  size: number;
  neuron: NeuronParams;
  initialPotential: InitialPotential;
  drives: Drive[];
}

export interface ProjectionInfo {
  source: string;
  target: string;
  synapses: number;
}

/**
 * Connectivity in compressed sparse rows by source neuron: the outgoing
 * synapses of neuron s are [rowPtr[s], rowPtr[s+1]). Within a row, synapses
 * are ordered by target (ascending), so any contiguous target range (a
 * population, a worker's shard) is a contiguous slice of each row.
 * 9 bytes per synapse plus 4 per neuron.
 */
export interface Synapses {
  rowPtr: Uint32Array;
  targets: Uint32Array;
  weightsPa: Float32Array;
  delaySteps: Uint8Array;
}

export interface Network {
  name: string;
  seed: number;
  dtMs: number;
  neuronCount: number;
  synapseCount: number;
  populations: PopulationInfo[];
  projections: ProjectionInfo[];
  synapses: Synapses;
  minDelaySteps: number;
  maxDelaySteps: number;
  /** The validated spec the network was built from. */
  spec: NetworkSpec;
}

export function populationOf(network: Network, neuron: number): PopulationInfo {
  for (const p of network.populations) if (neuron < p.start + p.size) return p;
  throw new RangeError(`neuron ${neuron} out of range [0, ${network.neuronCount})`);
}

/** Bytes held by the connectivity arrays. */
export function connectivityBytes(network: Network): number {
  const s = network.synapses;
  return s.rowPtr.byteLength + s.targets.byteLength + s.weightsPa.byteLength + s.delaySteps.byteLength;
}
