import type { Synapses } from '../../src/model/network.js';

/**
 * The GPU's connectivity layout: for every distinct delay d_j and target t,
 * a fixed-width row of K incoming synapses (source index and weight), K the
 * largest such in-degree, padded with source `neuronCount` (a spike column
 * that is always 0) and weight 0. Flattened [delay][target][k].
 *
 * Why this layout: a GPU wants the same work per thread and no write
 * conflicts. Source-major rows (the CPU's CSR) would scatter-add into the
 * ring, which needs atomics on a GPU (non-deterministic float sums) and has
 * no exact tfjs op; here one gather of the spike vector plus one reduction
 * per target row turns a step's spikes into the input of every (delay,
 * target), deterministically and with no host round trip. Splitting by
 * delay makes every reduction land in one ring slot. The cost is padding:
 * rows are as wide as the widest (delay, target) pair; the table reports
 * `paddedEntries` against `synapseCount`. For small populations a dense
 * [source, delay, target] matrix would be simpler, but a matmul turns a
 * non-finite weight of a silent source into NaN input (0 * NaN), which the
 * reference never delivers; the gather with select keeps that semantics.
 */
export interface DelayGatherTable {
  neuronCount: number;
  /** Distinct delays (steps), ascending. */
  delays: Int32Array;
  /** Row width. */
  width: number;
  /** Source of each entry (neuronCount for padding), [delays.length * neuronCount * width]. */
  sources: Int32Array;
  /** Index into the CSR arrays of each entry (-1 for padding): re-uploads weights after a weight fault. */
  synapseIndex: Int32Array;
  synapseCount: number;
  paddedEntries: number;
}

export function buildDelayGatherTable(syn: Synapses, neuronCount: number): DelayGatherTable {
  const n = neuronCount;
  const present = new Uint8Array(256);
  for (let k = 0; k < syn.delaySteps.length; k++) present[syn.delaySteps[k]] = 1;
  const delayList: number[] = [];
  for (let d = 0; d < 256; d++) if (present[d]) delayList.push(d);
  if (delayList.length === 0) delayList.push(1);
  const slabOf = new Int32Array(256).fill(-1);
  delayList.forEach((d, j) => (slabOf[d] = j));
  const rows = delayList.length * n;
  const fill = new Int32Array(rows);
  for (let k = 0; k < syn.targets.length; k++) fill[slabOf[syn.delaySteps[k]] * n + syn.targets[k]]++;
  let width = 1;
  for (let r = 0; r < rows; r++) width = Math.max(width, fill[r]);
  const entries = rows * width;
  const sources = new Int32Array(entries).fill(n);
  const synapseIndex = new Int32Array(entries).fill(-1);
  fill.fill(0);
  // Sources ascending, and within a source its row order: each (delay, target) row lists its synapses in the order the CPU delivers them.
  for (let s = 0; s < n; s++) {
    for (let k = syn.rowPtr[s]; k < syn.rowPtr[s + 1]; k++) {
      const r = slabOf[syn.delaySteps[k]] * n + syn.targets[k];
      const at = r * width + fill[r]++;
      sources[at] = s;
      synapseIndex[at] = k;
    }
  }
  return { neuronCount: n, delays: Int32Array.from(delayList), width, sources, synapseIndex, synapseCount: syn.targets.length, paddedEntries: entries };
}

/** Entry weights split by sign as the CPU routes them (w >= 0 excitatory, else inhibitory, NaN inhibitory); padding 0. */
export function tableWeights(table: DelayGatherTable, weightsPa: Float32Array, outEx: Float32Array, outIn: Float32Array): void {
  const idx = table.synapseIndex;
  for (let e = 0; e < idx.length; e++) {
    const k = idx[e];
    if (k < 0) {
      outEx[e] = 0;
      outIn[e] = 0;
      continue;
    }
    const w = weightsPa[k];
    if (w >= 0) {
      outEx[e] = w;
      outIn[e] = 0;
    } else {
      outEx[e] = 0;
      outIn[e] = w;
    }
  }
}

/** For each ring offset o in [0, ringSlots): the slab of delay o, or delays.length (an all-zero slab) when no synapse has that delay. */
export function offsetToSlab(table: DelayGatherTable, ringSlots: number): Int32Array {
  const out = new Int32Array(ringSlots).fill(table.delays.length);
  table.delays.forEach((d, j) => {
    if (d < ringSlots) out[d] = j;
  });
  return out;
}
