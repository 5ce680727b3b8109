import type { Network, Synapses } from '../../model/network.js';
import { ringSlotsFor } from '../simulation-state.js';

/**
 * Delivery order `delay` (WorkersOptions.deliveryOrder): the synapses of a
 * shard's row slice (row-slices.ts), regrouped by delay, stably. Within the
 * slice [begin, end) of source s and range r, the synapses of delay 1 come
 * first, then those of delay 2, ..., each delay's in their previous order
 * (ascending target). The slices keep their bounds, so the row slices stay
 * valid; `rowPtr` is unchanged.
 *
 * Why: a spike's synapses, visited in target order, hop between the ring
 * rows of their ~50 delays at every synapse, so once the rings outgrow the
 * caches (full-scale microcircuit: 2 x 17 MB of rings per shard) each write
 * is a cache and TLB miss the hardware prefetcher cannot foresee. Grouped by
 * delay, a slice writes each ring row in ascending target order, a stream
 * the prefetcher follows (docs/performance.md, "Delivery order").
 *
 * Why the spikes do not change: two synapses add into the same ring cell
 * only if they share target and delay. A stable sort by delay keeps such
 * synapses (of one spike) in their order, and spikes are still delivered in
 * the same order, so every cell receives the same float32 additions in the
 * same order as before: the sums, and so the spikes, are bit for bit the
 * same, for any worker count (each count's slices differ; the order within
 * a cell never does), and whether a source is regrouped yet or not.
 *
 * When: lazily, the first time a shard delivers a spike of source s, by the
 * thread delivering it (the only one touching shard k's slices then: the
 * chains' atomics order the tasks). So the work is split over the threads,
 * a source that never spikes costs nothing, and the slice the sort brings
 * into the cache is the one delivered next. `pending[k][s]` is 1 until
 * source s's slices of shard k are regrouped.
 */

/**
 * The stable counting sort by delay of one slice [begin, end), as a closure
 * over its arrays and scratch (one per thread). Weights move as bits, so a
 * NaN's payload survives. No allocation per call.
 *
 * Why a closure: inlined into the caller's loops the sort ran at 12 ns per
 * synapse, as a class method 8.6, as this closure 5.5 (microcircuit 0.1,
 * 29.9 M synapses, one thread: 364, 258 and 164 ms; V8 treats the closure's
 * constant arrays as known).
 */
export function sliceSorter(syn: Synapses, longestSlice: number, maxDelaySteps: number): (begin: number, end: number) => void {
  const targets = syn.targets;
  const weightBits = new Uint32Array(syn.weightsPa.buffer, syn.weightsPa.byteOffset, syn.weightsPa.length);
  const delays = syn.delaySteps;
  const t = new Uint32Array(longestSlice);
  const w = new Uint32Array(longestSlice);
  const d = new Uint8Array(longestSlice);
  // next[delay]: where the next synapse of that delay goes in the scratch.
  const next = new Int32Array(maxDelaySteps + 2);
  const buckets = next.length;
  return (begin, end) => {
    if (end - begin < 2) return;
    next.fill(0);
    for (let k = begin; k < end; k++) next[delays[k] + 1]++;
    for (let x = 1; x < buckets; x++) next[x] += next[x - 1];
    for (let k = begin; k < end; k++) {
      const dk = delays[k];
      const p = next[dk]++;
      t[p] = targets[k];
      w[p] = weightBits[k];
      d[p] = dk;
    }
    // Element loops, not set(subarray): a subarray is an object, and there are a million slices at full scale.
    for (let p = 0, k = begin; k < end; p++, k++) {
      targets[k] = t[p];
      weightBits[k] = w[p];
      delays[k] = d[p];
    }
  };
}

/** The longest slice of any shard (the sorter's scratch length). */
export function longestSlice(slices: readonly Uint32Array[]): number {
  let longest = 0;
  for (const s of slices) for (let r = 0; r < s.length; r += 2) longest = Math.max(longest, s[r + 1] - s[r]);
  return longest;
}

/**
 * Regroups, by delay, the slices of the sources of spikes[from, to) that
 * shard `pending` belongs to has not regrouped yet, and marks them done.
 * `slices` are that shard's row slices (`ranges` pairs per source).
 */
export function regroupSources(sort: (begin: number, end: number) => void, pending: Uint8Array, slices: Uint32Array, ranges: number, spikes: Int32Array, from: number, to: number): void {
  for (let j = from; j < to; j++) {
    const s = spikes[j];
    if (pending[s] === 0) continue;
    const base = s * ranges * 2;
    for (let r = base; r < base + ranges * 2; r += 2) sort(slices[r], slices[r + 1]);
    pending[s] = 0;
  }
}

/**
 * Ring bytes (both rings, every replica) from which `simulate()` asks the
 * workers for delay order. Below it the rings stay in the caches, target
 * order costs no misses, and the regrouping (about 5.5 ns per synapse, once)
 * is not paid back. Measured on this project's 2-core AMD EPYC (1 MiB L2 per
 * core, 32 MiB L3), microcircuit, 2 workers, 1 s, target / delay order
 * (`node` of a scratch WorkersBackend run, same spikes): scale 0.1 (3.5 MB of
 * rings) 339 / 381 ms, 0.2 (6.9 MB) 662 / 777 ms, 0.5 (17.3 MB) 2363 / 1994
 * ms, 1.0 (34.6 MB) 4914 / 4325 ms. The threshold lies between the last
 * loser and the first winner; on a machine with a larger cache the crossing
 * moves up.
 */
export const DELAY_ORDER_MIN_RING_BYTES = 12 * 2 ** 20;

/** The delay rings' bytes for `network` with `batch` replicas (float32, ringSlotsFor slots, excitatory and inhibitory). */
export function ringBytes(network: Network, batch: number): number {
  return 2 * 4 * ringSlotsFor(network) * network.neuronCount * batch;
}
