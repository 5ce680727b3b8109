import type { Synapses } from '../../src/model/network.js';

/**
 * The connectivity as the gpu.js delivery kernel reads it: target-major, and
 * within a target bucketed by delay. Bucket (target i, delay minDelay + dd)
 * holds entries [bucketPtr[i * delaySpan + dd], bucketPtr[i * delaySpan + dd + 1]),
 * each a source index and a weight, in (source ascending, row position
 * ascending) order.
 *
 * Why this layout: a GPU thread may write only its own output element (gpu.js
 * has no scatter and no atomics), so delivery is turned around into a gather:
 * the thread of (delay slot, replica, target) walks that target's synapses of
 * that delay and adds the weights of the sources that spiked this step to the
 * ring slot the delay points at. Bucketing by delay gives each thread exactly
 * the synapses it needs (every synapse is read once per step and replica, no
 * padding); the (source, row position) order inside a bucket is the order in
 * which the CPU reference adds into that ring cell, so the float32 sums are
 * the same bit for bit. No padding is needed because gpu.js loops take a
 * per-thread bound (capped by loopMaxIterations = the largest bucket): an
 * ELL-style padded table would cost max-in-degree x neurons entries, and
 * in-degrees vary widely across populations.
 * There are two tables, one per ring: the excitatory one holds the synapses
 * with w >= 0, the inhibitory one the others (a NaN counts as inhibitory, as
 * in the CPU kernel), so each delivery kernel reads only its own synapses. A
 * weight that changes sign (a sign-flip fault) makes the backend rebuild both.
 * Memory: 8 bytes per synapse (uint32 source, float32 weight) plus 4 per
 * (neuron, delay step), and a uint32 map back to the CSR position (refreshing
 * weights that the chaos layer or the scrubber changed).
 */
export interface GatherTable {
  minDelay: number;
  /** maxDelay - minDelay + 1: delay slots each step writes. */
  delaySpan: number;
  /** Integer arrays: exact in CPU mode; the GPU modes upload them as float32, exact below 2^24 entries. */
  bucketPtr: Uint32Array;
  entrySource: Uint32Array;
  entryWeight: Float32Array;
  /** CSR position of each entry, to refresh weights. */
  entrySynapse: Uint32Array;
  /** Entries in the largest (target, delay) bucket of both signs: the kernels' loop cap, unchanged by sign flips. */
  maxBucket: number;
  /** 1: the excitatory table (w >= 0), 0: the inhibitory one. */
  exc: number;
}

const isExc = (w: number) => w >= 0;

export function buildGatherTable(syn: Synapses, neuronCount: number, minDelay: number, maxDelay: number, exc: number): GatherTable {
  const span = Math.max(1, maxDelay - minDelay + 1);
  const buckets = neuronCount * span;
  const counts = new Uint32Array(buckets + 1);
  const all = new Uint32Array(buckets);
  const want = exc === 1;
  for (let k = 0; k < syn.targets.length; k++) {
    const bucket = syn.targets[k] * span + (syn.delaySteps[k] - minDelay);
    all[bucket]++;
    if (isExc(syn.weightsPa[k]) === want) counts[bucket + 1]++;
  }
  let maxBucket = 0;
  for (let b = 0; b < buckets; b++) if (all[b] > maxBucket) maxBucket = all[b];
  for (let b = 1; b <= buckets; b++) counts[b] += counts[b - 1];
  const total = counts[buckets];
  const cursor = counts.slice(0, buckets);
  const entrySource = new Uint32Array(total);
  const entrySynapse = new Uint32Array(total);
  // Sources ascending, then row order: a counting sort keeps that order inside each bucket.
  for (let s = 0; s < neuronCount; s++) {
    for (let k = syn.rowPtr[s]; k < syn.rowPtr[s + 1]; k++) {
      if (isExc(syn.weightsPa[k]) !== want) continue;
      const at = cursor[syn.targets[k] * span + (syn.delaySteps[k] - minDelay)]++;
      entrySource[at] = s;
      entrySynapse[at] = k;
    }
  }
  const table: GatherTable = { minDelay, delaySpan: span, bucketPtr: counts, entrySource, entryWeight: new Float32Array(total), entrySynapse, maxBucket, exc };
  refreshWeights(table, syn.weightsPa);
  return table;
}

/**
 * Copies the live weights into the table. Returns 'same', 'changed' (a GPU
 * copy must be re-uploaded) or 'rebuild' (a weight left the table's sign
 * class: build the tables again).
 */
export function refreshWeights(table: GatherTable, weightsPa: Float32Array): 'same' | 'changed' | 'rebuild' {
  const out = new Uint32Array(table.entryWeight.buffer, table.entryWeight.byteOffset, table.entryWeight.length);
  const src = new Uint32Array(weightsPa.buffer, weightsPa.byteOffset, weightsPa.length);
  const map = table.entrySynapse;
  const want = table.exc === 1;
  let changed = false;
  // Bit patterns, so a NaN written by a fault counts as a change and is copied as is.
  for (let j = 0; j < map.length; j++) {
    const w = src[map[j]];
    if (out[j] !== w) {
      if (isExc(weightsPa[map[j]]) !== want) return 'rebuild';
      out[j] = w;
      changed = true;
    }
  }
  return changed ? 'changed' : 'same';
}
