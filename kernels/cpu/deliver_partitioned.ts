/**
 * A partition as the kernels see it: spikes of sources in `sourceRanges`
 * emitted during steps [startStep, endStep) do not reach targets in
 * `targetRanges`: dropped, or delivered `extraSteps` later. Ranges are flat
 * ascending [lo0, hi0, lo1, hi1, ...].
 */
export interface PartitionKernel {
  sourceRanges: Int32Array;
  targetRanges: Int32Array;
  startStep: number;
  endStep: number;
  drop: boolean;
  extraSteps: number;
  /** Synapse activations dropped or delayed, one slot per shard. */
  affected: Float64Array;
}

export function inRanges(ranges: Int32Array, x: number): boolean {
  for (let r = 0; r < ranges.length; r += 2) if (x >= ranges[r] && x < ranges[r + 1]) return true;
  return false;
}

/** Whether a spike of `source` at `step` is cut by some active partition (the caller then takes the slow path). */
export function partitionCuts(partitions: PartitionKernel[], source: number, step: number): boolean {
  for (const p of partitions) if (step >= p.startStep && step < p.endStep && inRanges(p.sourceRanges, source)) return true;
  return false;
}

/**
 * DeliverSpikes for one spike under partitions: the source's synapses into
 * targets in `own` (flat ranges) are delivered as usual, except those into a
 * cutting partition's targets, which are dropped or delayed. Same visiting
 * order as the other delivery kernels. Returns synapses delivered.
 */
export function deliverPartitioned(
  partitions: PartitionKernel[],
  shard: number,
  step: number,
  source: number,
  rowPtr: Uint32Array,
  targets: Uint32Array,
  weights: Float32Array,
  delays: Uint8Array,
  own: Int32Array,
  ringSlots: number,
  slotStride: number,
  replicaOffset: number,
  ringEx: Float32Array,
  ringIn: Float32Array,
): number {
  let delivered = 0;
  const end = rowPtr[source + 1];
  for (let k = rowPtr[source]; k < end; k++) {
    const t = targets[k];
    if (!inRanges(own, t)) continue;
    let extra = 0;
    let dropped = false;
    for (const p of partitions) {
      if (step < p.startStep || step >= p.endStep || !inRanges(p.sourceRanges, source) || !inRanges(p.targetRanges, t)) continue;
      p.affected[shard]++;
      if (p.drop) dropped = true;
      else extra = Math.max(extra, p.extraSteps);
    }
    if (dropped) continue;
    const w = weights[k];
    const at = ((step + delays[k] + extra) % ringSlots) * slotStride + replicaOffset + t;
    if (w >= 0) ringEx[at] += w;
    else ringIn[at] += w;
    delivered++;
  }
  return delivered;
}
