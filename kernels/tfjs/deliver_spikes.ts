import type { Tensor, Tf } from './types.js';

/** The gather table on the device (kernels/tfjs/gather_table.ts). */
export interface DeviceGatherTable {
  /** int32 [entries] */
  sources: Tensor;
  /** float32 [batch, entries]: excitatory and inhibitory weights (the other 0), repeated per replica so the select needs no broadcast. */
  weightsEx: Tensor;
  weightsIn: Tensor;
  /** float32 [batch, entries] zeros. */
  zeros: Tensor;
  /** int32 [ringSlots]: ring offset -> slab (delays.length = the zero slab). */
  offsetToSlab: Tensor;
  delayCount: number;
  width: number;
}

/**
 * DeliverSpikes on tensors: the spikes of this step (bool [batch, neurons])
 * become the input of every (delay, target) through one gather and one row
 * sum, and land in the ring slots `step + delay`. The ring slot of this step,
 * already consumed by LifStep, is cleared in the same op. A silent source
 * contributes nothing even when its weight is not finite (select, not
 * multiply), as in the reference. Returns the new rings [slots, batch,
 * neurons]. Call inside tf.tidy.
 */
export function deliverSpikes(tf: Tf, table: DeviceGatherTable, spiked: Tensor, ringEx: Tensor, ringIn: Tensor, slot: number): { ringEx: Tensor; ringIn: Tensor } {
  const [slots, batch, n] = ringEx.shape;
  const padded = tf.concat([spiked, tf.zeros([batch, 1], 'bool')], 1);
  const active = tf.gather(padded, table.sources, 1);
  const rel = tf.mod(tf.add(tf.range(0, slots, 1, 'int32'), tf.scalar(slots - slot, 'int32')), tf.scalar(slots, 'int32'));
  const which = tf.gather(table.offsetToSlab, rel);
  // This step's slot, consumed by LifStep, is cleared by splicing in zeros (contiguous copies, no per-element select).
  const cleared = (ring: Tensor) => tf.concat([tf.slice(ring, [0, 0, 0], [slot, batch, n]), tf.zeros([1, batch, n]), tf.slice(ring, [slot + 1, 0, 0], [slots - slot - 1, batch, n])], 0);
  const into = (weights: Tensor, ring: Tensor) => {
    const contrib = tf.where(active, weights, table.zeros);
    const perSlab = tf.transpose(tf.sum(tf.reshape(contrib, [batch, table.delayCount, n, table.width]), 3), [1, 0, 2]);
    const slabs = tf.concat([perSlab, tf.zeros([1, batch, n])], 0);
    return tf.add(cleared(ring), tf.gather(slabs, which));
  };
  return { ringEx: into(table.weightsEx, ringEx), ringIn: into(table.weightsIn, ringIn) };
}
