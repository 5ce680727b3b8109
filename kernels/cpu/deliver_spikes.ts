/**
 * DeliverSpikes: adds the weights of the outgoing synapses of the spiking
 * sources spikes[from..to) to the ring slot of their delay, excitatory
 * (w >= 0) and inhibitory (w < 0) separately, as NEST routes by the sign of
 * the weight. Source s's synapses are [rowBegin[s], rowEnd[s + endShift]):
 * the whole row (rowPtr, rowPtr, 1) or one shard's slice of it (lo, hi, 0).
 * `slotOffset[d]` is the ring offset of the slot d steps ahead. Synapses are
 * visited in (source, row) order, so the float sums are identical however
 * targets are split across workers. Returns synapses visited. No allocation.
 */
export function deliverSpikes(
  rowBegin: Uint32Array,
  rowEnd: Uint32Array,
  endShift: number,
  targets: Uint32Array,
  weights: Float32Array,
  delays: Uint8Array,
  spikes: Int32Array,
  from: number,
  to: number,
  slotOffset: Int32Array | Float64Array,
  replicaOffset: number,
  ringEx: Float32Array,
  ringIn: Float32Array,
): number {
  let events = 0;
  for (let j = from; j < to; j++) {
    const src = spikes[j];
    const begin = rowBegin[src];
    const end = rowEnd[src + endShift];
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
