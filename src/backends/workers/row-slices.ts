import type { Synapses } from '../../model/network.js';
import type { Shard } from './protocol.js';
import { lowerBound } from '../../../kernels/cpu/lower_bound.js';

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
  slotBase: Int32Array,
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
        // An int32 index and a branch by sign (predicted: a row's weights share their sign):
        // 11.4-12.4 ns per synapse against 15.2-15.9 with a double index and one store site
        // (microcircuit 0.1 rows, random sources, this project's 2-core machine under load).
        // warmDeliverSlices takes both branches before the loop is compiled, so the first
        // inhibitory spike does not deoptimise it. NaN and -0 go where the select sent them.
        const at = (slotBase[delays[k]] + targets[k]) | 0;
        if (w >= 0) ringEx[at] += w;
        else ringIn[at] += w;
      }
    }
  }
  return events;
}

/**
 * Runs deliverSlices on scratch arrays with weights of both signs, so the JIT
 * compiles its loop with both branches taken (see src/backends/warm-kernels.ts
 * for why this matters). Touches no real state.
 */
export function warmDeliverSlices(): void {
  const slices = Uint32Array.of(0, 4, 4, 8);
  const targets = Uint32Array.of(0, 1, 2, 3, 0, 1, 2, 3);
  const weights = Float32Array.of(1.5, -2, 0.25, 3, -1, 2, -0.5, 0);
  const delays = Uint8Array.of(0, 1, 0, 1, 1, 0, 1, 0);
  const spikes = Int32Array.of(0, 1);
  const slotBase = Int32Array.of(0, 4);
  const ex = new Float32Array(8);
  const inh = new Float32Array(8);
  for (let pass = 0; pass < 2000; pass++) deliverSlices(slices, 1, targets, weights, delays, spikes, 0, 2, slotBase, ex, inh);
}
