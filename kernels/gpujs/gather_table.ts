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
  /** Entries in the largest bucket (the kernel's loop cap). */
  maxBucket: number;
}

export function buildGatherTable(syn: Synapses, neuronCount: number, minDelay: number, maxDelay: number): GatherTable {
  const span = Math.max(1, maxDelay - minDelay + 1);
  const buckets = neuronCount * span;
  const counts = new Uint32Array(buckets + 1);
  const total = syn.targets.length;
  for (let k = 0; k < total; k++) counts[syn.targets[k] * span + (syn.delaySteps[k] - minDelay) + 1]++;
  let maxBucket = 0;
  for (let b = 1; b <= buckets; b++) {
    if (counts[b] > maxBucket) maxBucket = counts[b];
    counts[b] += counts[b - 1];
  }
  const cursor = counts.slice(0, buckets);
  const entrySource = new Uint32Array(total);
  const entrySynapse = new Uint32Array(total);
  // Sources ascending, then row order: a counting sort keeps that order inside each bucket.
  for (let s = 0; s < neuronCount; s++) {
    for (let k = syn.rowPtr[s]; k < syn.rowPtr[s + 1]; k++) {
      const at = cursor[syn.targets[k] * span + (syn.delaySteps[k] - minDelay)]++;
      entrySource[at] = s;
      entrySynapse[at] = k;
    }
  }
  const table: GatherTable = { minDelay, delaySpan: span, bucketPtr: counts, entrySource, entryWeight: new Float32Array(total), entrySynapse, maxBucket };
  refreshWeights(table, syn.weightsPa);
  return table;
}

/** Copies the live weights into the table; returns whether any bit changed (then a GPU copy must be re-uploaded). */
export function refreshWeights(table: GatherTable, weightsPa: Float32Array): boolean {
  const out = new Uint32Array(table.entryWeight.buffer, table.entryWeight.byteOffset, table.entryWeight.length);
  const src = new Uint32Array(weightsPa.buffer, weightsPa.byteOffset, weightsPa.length);
  const map = table.entrySynapse;
  let changed = false;
  // Bit patterns, so a NaN written by a fault counts as a change and is copied as is.
  for (let j = 0; j < map.length; j++) {
    const w = src[map[j]];
    if (out[j] !== w) {
      out[j] = w;
      changed = true;
    }
  }
  return changed;
}
