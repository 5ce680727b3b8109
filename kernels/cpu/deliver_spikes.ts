/**
 * DeliverSpikes: adds the weights of every outgoing synapse of the spiking
 * sources to the ring slot of its delay, excitatory (w >= 0) and inhibitory
 * (w < 0) separately, as NEST routes by the sign of the weight.
 * `slotOffset[d]` is the ring offset of the slot d steps ahead. Synapses are
 * visited in (source, row) order, so the float sums are identical however
 * neurons are split across workers. No allocation.
 */
export function deliverSpikes(
  rowPtr: Uint32Array,
  targets: Uint32Array,
  weights: Float32Array,
  delays: Uint8Array,
  spikes: Int32Array,
  count: number,
  slotOffset: Int32Array | Float64Array,
  replicaOffset: number,
  ringEx: Float32Array,
  ringIn: Float32Array,
): number {
  let events = 0;
  for (let j = 0; j < count; j++) {
    const src = spikes[j];
    const end = rowPtr[src + 1];
    const begin = rowPtr[src];
    events += end - begin;
    for (let k = begin; k < end; k++) {
      const w = weights[k];
      const at = slotOffset[delays[k]] + replicaOffset + targets[k];
      if (w >= 0) ringEx[at] += w;
      else ringIn[at] += w;
    }
  }
  return events;
}
