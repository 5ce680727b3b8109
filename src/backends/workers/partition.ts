import type { Network } from '../../model/network.js';
import type { ShardRange } from './protocol.js';

/**
 * Splits neurons into contiguous shards of about equal work. A neuron costs
 * one unit for its update and drive, plus its in-degree relative to the mean
 * for the deliveries it receives (the two are about equal per step in the
 * microcircuit).
 */
/** Weight of a neuron's relative in-degree against its update cost (0.3 balanced the microcircuit best, measured). */
const INDEGREE_WEIGHT = 0.3;
export function partitionNeurons(network: Network, shardCount: number): ShardRange[] {
  const n = network.neuronCount;
  const count = Math.min(shardCount, n);
  const indegree = new Float64Array(n);
  const t = network.synapses.targets;
  for (let k = 0; k < t.length; k++) indegree[t[k]]++;
  const mean = network.synapseCount / n || 1;
  const cumulative = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) cumulative[i + 1] = cumulative[i] + 1 + INDEGREE_WEIGHT * (indegree[i] / mean);
  const total = cumulative[n];
  const shards: ShardRange[] = [];
  let lo = 0;
  for (let k = 0; k < count; k++) {
    let hi = n;
    if (k < count - 1) {
      const goal = (total * (k + 1)) / count;
      hi = lo + 1;
      while (hi < n - (count - 1 - k) && cumulative[hi] < goal) hi++;
    }
    shards.push({ lo, hi });
    lo = hi;
  }
  return shards;
}
