import type { Synapses } from '../../model/network.js';

/**
 * Reorders the synapses of every shard's row slice (row-slices.ts) by delay,
 * stably: within slice [begin, end) of source s and range r, the synapses of
 * delay 1 come first, then those of delay 2, ..., each delay's in their
 * previous order (ascending target). The slices keep their bounds, so the
 * row slices stay valid; `rowPtr` is unchanged.
 *
 * Why: a spike's synapses, visited in target order, hop between the ring
 * rows of their ~50 delays at every synapse, so each write is a cache and TLB
 * miss the hardware prefetcher cannot foresee once the rings outgrow the
 * caches (full-scale microcircuit: 2 x 17 MB of rings per shard). Grouped by
 * delay, a slice writes each ring row in ascending target order, a stream
 * the prefetcher follows. Measured: full-scale microcircuit, 2 workers,
 * 200 ms, 1.20-1.26 s in target order against 0.89-0.93 s grouped by delay
 * (docs/performance.md, "Delivery order").
 *
 * Why the spikes do not change: two synapses add into the same ring cell
 * only if they share target and delay. A stable sort by delay keeps such
 * synapses (of one spike) in their order, and spikes are still delivered in
 * the same order, so every cell receives the same float32 additions in the
 * same order as before: the sums, and so the spikes, are bit for bit the
 * same, for any worker count (each count's slices differ; the order within
 * a cell never does).
 *
 * What it costs: synapse k no longer is the network's synapse k, and rows
 * are no longer sorted by target, so nothing that addresses synapses by
 * index (weight faults, the scrubber, synapseScope's binary searches) may
 * read these arrays afterwards (WorkersOptions.deliveryOrder). One pass of
 * a counting sort per slice, O(synapses + slices x delays), no allocation
 * beyond scratch of the longest slice.
 *
 * `slices[k]` are the row slices of shard k (pairs [begin, end) per source
 * and range); the shards' slices are disjoint. Weights move as bits, so a
 * NaN's payload survives.
 */
export function orderSlicesByDelay(syn: Synapses, slices: readonly Uint32Array[], maxDelaySteps: number): void {
  let longest = 0;
  for (const s of slices) for (let r = 0; r < s.length; r += 2) longest = Math.max(longest, s[r + 1] - s[r]);
  const sort = sliceSorter(syn, longest, maxDelaySteps);
  for (const s of slices) for (let r = 0; r < s.length; r += 2) if (s[r + 1] - s[r] > 1) sort(s[r], s[r + 1]);
}

/**
 * The counting sort of one slice [begin, end), as a closure over its arrays:
 * inlined into orderSlicesByDelay's loops it ran at 12 ns per synapse, as a
 * class method 8.6, as this closure 5.5 (microcircuit 0.1, 29.9 M synapses:
 * 364, 258 and 164 ms; V8 treats the closure's constant arrays as known).
 */
function sliceSorter(syn: Synapses, longest: number, maxDelaySteps: number): (begin: number, end: number) => void {
  const targets = syn.targets;
  const weightBits = new Uint32Array(syn.weightsPa.buffer, syn.weightsPa.byteOffset, syn.weightsPa.length);
  const delays = syn.delaySteps;
  const t = new Uint32Array(longest);
  const w = new Uint32Array(longest);
  const d = new Uint8Array(longest);
  // next[delay]: where the next synapse of that delay goes in the scratch.
  const next = new Int32Array(maxDelaySteps + 2);
  const buckets = next.length;
  return (begin, end) => {
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
