import { InputError } from '../util/errors.js';
import type { Network, Synapses } from './network.js';

/**
 * Connectivity that a workers backend in delivery order `delay` regroups in
 * place (src/backends/workers/delay-order.ts): its rows are no longer sorted
 * by target, which row slicing, partitions and fault selection search by
 * binary search. Marked when such a backend is built over the network's own
 * arrays, so that no other backend is built over them afterwards: its
 * slices would be wrong and its spikes silently so.
 */
const regrouped = new WeakSet<Synapses>();

export function markRegrouped(synapses: Synapses): void {
  regrouped.add(synapses);
}

/**
 * @throws InputError naming `network` when its connectivity was regrouped by a delay-order workers backend
 */
export function assertNotRegrouped(network: Network): void {
  if (regrouped.has(network.synapses)) {
    throw new InputError('network', "its connectivity was regrouped by delay by a workers backend with deliveryOrder 'delay' (rows no longer sorted by target): build the network again, or give that backend a copy");
  }
}
