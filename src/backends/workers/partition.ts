import type { Network } from '../../model/network.js';
import type { Shard } from './protocol.js';

/**
 * Splits every population into `shardCount` contiguous pieces of equal size
 * (within one neuron); shard k owns piece k of each. Connectivity in cortical
 * models is population-structured: with whole populations per shard, each
 * step's work would swing between shards with whichever layer fired.
 */
export function partitionNeurons(network: Network, shardCount: number): Shard[] {
  const count = Math.max(1, Math.min(shardCount, network.neuronCount));
  return Array.from({ length: count }, (_, k) => ({
    ranges: network.populations.map((p) => ({
      lo: p.start + Math.floor((p.size * k) / count),
      hi: p.start + Math.floor((p.size * (k + 1)) / count),
    })),
  }));
}

export function shardSize(shard: Shard): number {
  return shard.ranges.reduce((a, r) => a + r.hi - r.lo, 0);
}
