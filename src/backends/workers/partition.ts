import type { Network } from '../../model/network.js';
import type { Shard } from './protocol.js';

/** Neurons per 64-byte cache line in the float32 and int32 state arrays. */
const LINE_NEURONS = 16;

/**
 * Splits every population into `shardCount` contiguous pieces of equal size
 * (within a cache line of neurons); shard k owns one piece of each. A
 * population of at least 16 neurons per shard is cut on multiples of 16
 * neurons, and none of its pieces is empty; a smaller one is cut evenly
 * (floor(size * i / shards)), so its pieces differ by at most one neuron and
 * are empty only where it has fewer neurons than there are shards.
 * Connectivity in cortical models is population-structured: with whole
 * populations per shard, each step's work would swing between shards with
 * whichever layer fired.
 *
 * Why the cuts fall on cache lines and every other population runs its
 * pieces backwards: the shards' threads update and deliver into the same
 * state arrays (membrane, currents, rings) at the same time, and a 64-byte
 * line holding neurons of two shards goes back and forth between the cores
 * at every step that both write it (false sharing). Cut at multiples of 16
 * neurons (the shared wasm memory aligns its arrays to 64 bytes), no line
 * inside a population has two owners; with the pieces of population p + 1 in
 * the reverse order of p's, the pieces that meet at a population boundary
 * belong to one shard. Which shard owns a neuron changes no result (spikes
 * are merged in neuron order: piecesInOrder).
 */
export function partitionNeurons(network: Network, shardCount: number): Shard[] {
  const count = Math.max(1, Math.min(shardCount, network.neuronCount));
  const cut = (start: number, size: number, i: number) => {
    if (i === 0 || i === count) return start + (i === 0 ? 0 : size);
    const even = start + Math.floor((size * i) / count);
    // A population of fewer than 16 neurons per shard is cut evenly instead: rounded to lines, its pieces
    // (and, in a small network, whole shards) would be empty, and a shard partition would cut nothing.
    // Its lines are few, so sharing them costs little.
    if (size < LINE_NEURONS * count) return even;
    return Math.min(start + size, Math.max(start, Math.round(even / LINE_NEURONS) * LINE_NEURONS));
  };
  return Array.from({ length: count }, (_, k) => ({
    ranges: network.populations.map((p, j) => {
      const piece = j % 2 === 0 ? k : count - 1 - k;
      return { lo: cut(p.start, p.size, piece), hi: cut(p.start, p.size, piece + 1) };
    }),
  }));
}

/** For each population, the shards in the order of their pieces: reading their spike logs in this order gives ascending neuron order. */
export function piecesInOrder(shards: Shard[]): Int32Array[] {
  const pops = shards[0]?.ranges.length ?? 0;
  return Array.from({ length: pops }, (_, p) => Int32Array.from(shards.map((_, k) => k).sort((a, b) => shards[a].ranges[p].lo - shards[b].ranges[p].lo || a - b)));
}

export function shardSize(shard: Shard): number {
  return shard.ranges.reduce((a, r) => a + r.hi - r.lo, 0);
}
