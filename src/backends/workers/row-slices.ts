import type { Synapses } from '../../model/network.js';
import type { Shard } from './protocol.js';

/**
 * Where each source's row meets a shard's ranges: for source s and range r,
 * the shard's synapses of s into range r are [slices[(s * R + r) * 2],
 * slices[(s * R + r) * 2 + 1]) (rows are sorted by target, so each range is
 * one slice). Found once by binary search, so delivery does not repeat two
 * searches per spike and range at every step (CUBA: rows of 80 synapses, a
 * shard's share of 40, cost about as many search probes as synapses).
 * 8 bytes per neuron and population per shard (full-scale microcircuit,
 * 2 shards: 9.9 MB). `out` has length neuronCount * ranges * 2.
 */
export function fillRowSlices(syn: Synapses, neuronCount: number, shard: Shard, out: Uint32Array): void {
  const { rowPtr, targets } = syn;
  const R = shard.ranges.length;
  for (let s = 0; s < neuronCount; s++) {
    let cursor = rowPtr[s];
    const end = rowPtr[s + 1];
    for (let r = 0; r < R; r++) {
      const { lo, hi } = shard.ranges[r];
      const b = lowerBound(targets, cursor, end, lo);
      const e = lo === hi ? b : lowerBound(targets, b, end, hi);
      out[(s * R + r) * 2] = b;
      out[(s * R + r) * 2 + 1] = e;
      cursor = e;
    }
  }
}

function lowerBound(a: Uint32Array, from: number, to: number, value: number): number {
  let l = from;
  let h = to;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (a[m] < value) l = m + 1;
    else h = m;
  }
  return l;
}

/**
 * DeliverSpikes into one shard through its precomputed row slices: the
 * weights of the synapses of spikes[from..to) into the shard go to the ring
 * slot of their delay, excitatory (w >= 0) and inhibitory (w < 0) apart, as
 * NEST routes by sign. Visits each target's synapses in the same order as
 * the whole-row kernel (kernels/cpu/deliver_spikes.ts), so the float sums are
 * the reference's. Returns synapses visited. No allocation.
 */
export function deliverSlices(
  slices: Uint32Array,
  ranges: number,
  targets: Uint32Array,
  weights: Float32Array,
  delays: Uint8Array,
  spikes: Int32Array,
  from: number,
  to: number,
  slotOffset: Float64Array,
  replicaOffset: number,
  ringEx: Float32Array,
  ringIn: Float32Array,
): number {
  let events = 0;
  const width = 2 * ranges;
  for (let j = from; j < to; j++) {
    const base = spikes[j] * width;
    for (let r = base; r < base + width; r += 2) {
      const begin = slices[r];
      const end = slices[r + 1];
      events += end - begin;
      for (let k = begin; k < end; k++) {
        const w = weights[k];
        const at = slotOffset[delays[k]] + replicaOffset + targets[k];
        // One store site for both signs (see kernels/cpu/deliver_spikes.ts).
        const ring = w >= 0 ? ringEx : ringIn;
        ring[at] += w;
      }
    }
  }
  return events;
}
