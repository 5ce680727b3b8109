import type { Network, Synapses } from '../../model/network.js';

/** The order of the live synapses within each shard's row slices (WorkersOptions.deliveryOrder). */
export type DeliveryOrder = 'target' | 'delay';
export const DELIVERY_ORDERS: readonly DeliveryOrder[] = ['target', 'delay'];

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
 * One worker thread's regrouping scratch, in shared memory so that the main
 * thread can finish a regrouping the worker thread died in (repairRegrouping): the
 * sorted slice (targets, weight bits, delays) and a journal word triple
 * [phase, begin, end]. Phase SORTING: the scratch is being filled, the
 * slice in the synapses is still whole. Phase COPYING: the scratch holds the
 * whole sorted slice [begin, end), being copied back; a copy cut short
 * leaves the slice torn (synapses doubled, others lost) until the copy is
 * redone from the scratch.
 */
export interface RegroupScratch {
  targets: Uint32Array;
  weightBits: Uint32Array;
  delays: Uint8Array;
  journal: Int32Array;
}

/** The journal's phases (RegroupScratch). */
export const REGROUP_PHASE = { idle: 0, sorting: 1, copying: 2 } as const;
const IDLE = REGROUP_PHASE.idle;
const SORTING = REGROUP_PHASE.sorting;
const COPYING = REGROUP_PHASE.copying;

/**
 * A scratch for slices of up to `longestSlice` synapses, in SharedArrayBuffers.
 * Why per thread, not per shard: a thread then sorts with one closure over
 * constant arrays. With a closure per shard, V8 no longer treats a closure's
 * arrays as known, and sorting took twice as long (microcircuit 0.1, both
 * shards' slices: 105 ms with one closure, 210 with two; 200 with one closure
 * whose scratch is swapped per shard), which made the full-scale run 1.2x
 * slower.
 */
export function regroupScratch(longestSlice: number): RegroupScratch {
  const n = Math.max(1, longestSlice);
  return {
    targets: new Uint32Array(new SharedArrayBuffer(4 * n)),
    weightBits: new Uint32Array(new SharedArrayBuffer(4 * n)),
    delays: new Uint8Array(new SharedArrayBuffer(n)),
    journal: new Int32Array(new SharedArrayBuffer(12)),
  };
}

/**
 * The stable counting sort by delay of one slice [begin, end), as a closure
 * over the synapse arrays and one thread's scratch (make one per thread). Weights move as
 * bits, so a NaN's payload survives. No allocation per call. The journal
 * says how far it got (RegroupScratch), for repairRegrouping.
 *
 * Why a closure: inlined into the caller's loops the sort ran at 12 ns per
 * synapse, as a class method 8.6, as this closure 5.5 (microcircuit 0.1,
 * 29.9 M synapses, one thread: 364, 258 and 164 ms; V8 treats the closure's
 * constant arrays as known).
 */
export function sliceSorter(syn: Synapses, scratch: RegroupScratch, maxDelaySteps: number): (begin: number, end: number) => void {
  const targets = syn.targets;
  const weightBits = new Uint32Array(syn.weightsPa.buffer, syn.weightsPa.byteOffset, syn.weightsPa.length);
  const delays = syn.delaySteps;
  const { targets: t, weightBits: w, delays: d, journal } = scratch;
  // next[delay]: where the next synapse of that delay goes in the scratch.
  const next = new Int32Array(maxDelaySteps + 2);
  const buckets = next.length;
  return (begin, end) => {
    if (end - begin < 2) return;
    journal[1] = begin;
    journal[2] = end;
    Atomics.store(journal, 0, SORTING);
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
    // From here the scratch alone holds the slice whole (the store orders the writes above before it).
    Atomics.store(journal, 0, COPYING);
    copyBack(targets, weightBits, delays, scratch, begin, end);
    Atomics.store(journal, 0, IDLE);
  };
}

/** Element loops, not set(subarray): a subarray is an object, and there are a million slices at full scale. */
function copyBack(targets: Uint32Array, weightBits: Uint32Array, delays: Uint8Array, scratch: RegroupScratch, begin: number, end: number): void {
  const { targets: t, weightBits: w, delays: d } = scratch;
  for (let p = 0, k = begin; k < end; p++, k++) {
    targets[k] = t[p];
    weightBits[k] = w[p];
    delays[k] = d[p];
  }
}

/**
 * A worker thread's claim on a free scratch (owners[i] 0: free; else the
 * owning thread's id). Returns the slot, or -1 when none is free (the thread
 * then delivers without regrouping: the order never changes the spikes).
 */
export function claimScratch(owners: Int32Array, threadId: number): number {
  for (let i = 0; i < owners.length; i++) if (Atomics.compareExchange(owners, i, 0, threadId) === 0) return i;
  return -1;
}

/**
 * Main thread, once every worker thread has stopped (a worker was lost):
 * finishes the regrouping the lost thread was in. A slice cut short while
 * being copied back is copied again from the scratch; one cut short while
 * being sorted was still whole, and its source stays pending (regrouped at
 * its next spike). Returns whether a torn slice was mended.
 */
export function repairRegrouping(syn: Synapses, scratch: RegroupScratch): boolean {
  const phase = Atomics.load(scratch.journal, 0);
  Atomics.store(scratch.journal, 0, IDLE);
  if (phase !== COPYING) return false;
  const weightBits = new Uint32Array(syn.weightsPa.buffer, syn.weightsPa.byteOffset, syn.weightsPa.length);
  copyBack(syn.targets, weightBits, syn.delaySteps, scratch, scratch.journal[1], scratch.journal[2]);
  return true;
}

/** The longest slice of any shard (the sorter's scratch length). */
export function longestSlice(slices: readonly Uint32Array[]): number {
  let longest = 0;
  for (const s of slices) for (let r = 0; r < s.length; r += 2) longest = Math.max(longest, s[r + 1] - s[r]);
  return longest;
}

/**
 * Regroups by delay one shard's slices of each source in spikes[from, to)
 * that the shard has not regrouped yet (`pending[s]` 1), and marks them
 * done. `slices` are that shard's row slices (`ranges` pairs per source).
 * Sorting a sorted slice changes nothing, so a source whose mark was not yet
 * cleared when its thread died is only sorted again.
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
 * Ring bytes in use (ringBytes: both rings, every replica) from which `simulate()` asks the
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

/**
 * The bytes of the delay rings in use at a time, for `network` with `batch`
 * replicas: the window of maxDelaySteps + 1 slots that a step's delivery
 * writes into, float32 per neuron, excitatory and inhibitory. (The
 * allocated rings have ringSlotsFor slots, with headroom for a partition's
 * extra delay; the window turns through them one slot per step, so the
 * others sit idle meanwhile.)
 */
export function ringBytes(network: Network, batch: number): number {
  return 2 * 4 * (network.maxDelaySteps + 1) * network.neuronCount * batch;
}
