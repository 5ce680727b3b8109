import type { GPU } from 'gpu.js';
import { compileKernel, type GpuKernel, type KernelThis } from './kernel_types.js';
import type { GatherTable } from './gather_table.js';

interface DeliverConstants {
  /** batch x neurons: one ring slot. */
  bn: number;
  n: number;
  span: number;
  slots: number;
}

/**
 * DeliverSpikes (gpu.js), as a gather: one thread per (delay slot dd,
 * replica b, target i), output [span, batch, neurons] flat. The thread starts
 * from the ring cell the delay minDelay + dd points at (ring slot
 * (firstSlot + dd) mod slots) and adds, in the gather table's order, the
 * weights of the synapses into i with that delay whose source spiked this
 * step in replica b. It runs once per ring with that ring's table
 * (gather_table.ts: excitatory w >= 0, inhibitory the others). The per-add Math.fround is the CPU kernel's float32 store into
 * the ring, so the sums match it bit for bit in cpu mode (and in GPU modes,
 * whose adds round to float32 in the same order). The output replaces those
 * ring slots. Work per step: every synapse once per replica, spiking or not
 * (the price of gathering instead of scattering).
 */
export function deliverSpikesKernel(
  this: KernelThis<DeliverConstants>,
  ring: Float32Array,
  spiked: Float32Array,
  bucketPtr: Uint32Array,
  entrySource: Uint32Array,
  entryWeight: Float32Array,
  firstSlot: number,
): number {
  const x = this.thread.x;
  const bn = this.constants.bn;
  const n = this.constants.n;
  const dd = Math.floor(x / bn);
  const s = x - dd * bn;
  const b = Math.floor(s / n);
  const i = s - b * n;
  let slot = firstSlot + dd;
  if (slot >= this.constants.slots) slot = slot - this.constants.slots;
  let acc = ring[slot * bn + s];
  const begin = bucketPtr[i * this.constants.span + dd];
  const end = bucketPtr[i * this.constants.span + dd + 1];
  for (let j = begin; j < end; j++) {
    if (spiked[b * n + entrySource[j]] > 0) acc = Math.fround(acc + entryWeight[j]);
  }
  return acc;
}

export function createDeliverSpikes(gpu: GPU, table: GatherTable, batch: number, neuronCount: number, ringSlots: number): GpuKernel {
  const bn = batch * neuronCount;
  return compileKernel(gpu, deliverSpikesKernel as unknown as (...args: never[]) => number, {
    output: [table.delaySpan * bn],
    constants: { bn, n: neuronCount, span: table.delaySpan, slots: ringSlots },
    loopMaxIterations: Math.max(1, table.maxBucket),
  });
}
