import { lowerBound } from './lower_bound.js';
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
      // One store site for both signs: a branch taken first only after the
      // JIT compiled this loop would deoptimise it (see warm-kernels.ts).
      const ring = w >= 0 ? ringEx : ringIn;
      ring[at] += w;
    }
  }
  return events;
}

/**
 * DeliverSpikes restricted to targets in the ranges [lo0, hi0), [lo1, hi1), ...
 * (`ranges` flat and ascending): one worker's share. Rows are sorted by
 * target, so each range is one slice of the row, found by binary search.
 * Same visiting order per target as the whole-row kernel.
 */
export function deliverSpikesToRanges(
  rowPtr: Uint32Array,
  targets: Uint32Array,
  weights: Float32Array,
  delays: Uint8Array,
  spikes: Int32Array,
  from: number,
  to: number,
  ranges: Int32Array,
  slotOffset: Int32Array | Float64Array,
  replicaOffset: number,
  ringEx: Float32Array,
  ringIn: Float32Array,
): number {
  let events = 0;
  for (let j = from; j < to; j++) {
    const src = spikes[j];
    let cursor = rowPtr[src];
    const rowEnd = rowPtr[src + 1];
    for (let r = 0; r < ranges.length && cursor < rowEnd; r += 2) {
      const lo = ranges[r];
      const hi = ranges[r + 1];
      if (lo === hi) continue;
      const begin = lowerBound(targets, cursor, rowEnd, lo);
      const end = lowerBound(targets, begin, rowEnd, hi);
      cursor = end;
      events += end - begin;
      for (let k = begin; k < end; k++) {
        const w = weights[k];
        const at = slotOffset[delays[k]] + replicaOffset + targets[k];
        const ring = w >= 0 ? ringEx : ringIn;
        ring[at] += w;
      }
    }
  }
  return events;
}

