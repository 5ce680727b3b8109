import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';

/** Which neurons a monitor watches: global indices, whole populations by name, or both (the union). Neither: every neuron. */
export interface NeuronSelection {
  /** Global neuron indices in [0, network.neuronCount). */
  neurons?: readonly number[];
  /** Population names of the network (`L4E`). */
  populations?: readonly string[];
}

/**
 * The selected global indices, ascending and without repeats.
 * @throws InputError naming `neurons` (an index out of range) or `populations` (a name the network lacks, with the known names)
 */
export function selectNeurons(network: Network, s: NeuronSelection): Int32Array {
  if (s.neurons === undefined && s.populations === undefined) return Int32Array.from({ length: network.neuronCount }, (_, i) => i);
  const out = new Set<number>();
  for (const i of s.neurons ?? []) {
    if (!Number.isInteger(i) || i < 0 || i >= network.neuronCount) throw new InputError('neurons', `must be integers in [0, ${network.neuronCount - 1}] (got ${i})`);
    out.add(i);
  }
  for (const name of s.populations ?? []) {
    const p = network.populations.find((q) => q.name === name);
    if (!p) throw new InputError('populations', `no population "${name}" (known: ${network.populations.map((q) => q.name).join(', ')})`);
    for (let i = 0; i < p.size; i++) out.add(p.start + i);
  }
  return Int32Array.from([...out].sort((a, b) => a - b));
}

/** A replica index checked against the batch. @throws InputError naming `replica` */
export function checkReplica(replica: number, batch: number): number {
  if (!Number.isInteger(replica) || replica < 0 || replica >= batch) throw new InputError('replica', `must be an integer in [0, ${batch - 1}] (got ${replica})`);
  return replica;
}
