import { threadId, workerData } from 'node:worker_threads';
import { deliverSpikesToRanges } from '../../../kernels/cpu/deliver_spikes.js';
import { deliverPartitioned, partitionCuts } from '../../../kernels/cpu/deliver_partitioned.js';
import type { StepEffects } from '../backend.js';
import { computeSlotOffsets, integrateStep } from '../cpu-step.js';
import { barrierWait } from './barrier.js';
import { guardKernel } from '../guards.js';
import { warmCpuKernels } from '../warm-kernels.js';
import type { ChunkResult, ChunkTask, WorkerSharedData } from './protocol.js';

/**
 * The shard worker: advances its shard through a chunk of steps. Within a
 * chunk, shards run in lock step by min-delay intervals: integrate an
 * interval (spikes go to the shard's log), meet at the barrier, then deliver
 * the whole interval's spikes, from every shard in ascending neuron order,
 * into the own shard's ring buffers. A spike's delay is at least one
 * interval, so it never lands in a step already integrated. At the end of a
 * chunk every spike is delivered: the state between chunks equals the
 * reference simulator's.
 */
const shared = workerData as WorkerSharedData;
const { state, synapses, plan, shards, logs, control, maxDelaySteps, minDelaySteps } = shared;
const batch = state.batch;
const pops = shards[0].ranges.length;
const slotOffset = new Float64Array(maxDelaySteps + 1);
const flatRanges = shards.map((sh) => Int32Array.from(sh.ranges.flatMap((r) => [r.lo, r.hi])));
const guards = shards.map((_, k) => guardKernel(shared.guards, k));
warmCpuKernels(plan, guards[0]);

export default function runChunk(task: ChunkTask): ChunkResult {
  const { shard, fromStep, steps, seed, failure, effects } = task;
  Atomics.store(shared.shardThread, shard, threadId);
  const ranges = shards[shard].ranges;
  const log = logs[shard];
  log.offsets[0] = 0;
  let delivered = 0;
  for (let t0 = 0; t0 < steps; t0 += minDelaySteps) {
    const t1 = Math.min(steps, t0 + minDelaySteps);
    for (let t = t0; t < t1; t++) {
      const step = fromStep + t;
      if (failure && failure.atStep === step) {
        if (failure.mode === 'exit') process.exit(70);
        if (failure.mode === 'stall') {
          Atomics.store(shared.stalled, shard, 1);
          Atomics.wait(shared.stalled, shard, 1, failure.stallMs ?? 10_000);
          Atomics.store(shared.stalled, shard, 0);
          Atomics.add(shared.stallsServed, shard, 1);
        } else throw new Error(`injected failure of shard ${shard} at step ${step}`);
      }
      for (let b = 0; b < batch; b++) {
        const base = (t * batch + b) * pops;
        for (let p = 0; p < pops; p++) {
          const at = log.offsets[base + p];
          const r = ranges[p];
          log.offsets[base + p + 1] = r.lo < r.hi ? at + integrateStep(plan, state, effects, shard, seed, step, b, r.lo, r.hi, log.ids, at, guards[shard]) : at;
        }
      }
    }
    const w0 = performance.now();
    const ok = barrierWait(control, shared.spinIterations);
    shared.barrierWaitMs[shard] += performance.now() - w0;
    if (!ok) return { shard, completed: false };
    delivered += deliverInterval(flatRanges[shard], fromStep, t0, t1, effects, shard);
  }
  shared.events[shard] += delivered;
  return { shard, completed: true };
}

/** Delivers every shard's spikes of chunk steps [t0, t1), in ascending source order, into this shard's ranges. */
function deliverInterval(own: Int32Array, fromStep: number, t0: number, t1: number, effects: StepEffects, shard: number): number {
  const partitions = effects.partitions;
  let visited = 0;
  for (let t = t0; t < t1; t++) {
    computeSlotOffsets(state, fromStep + t, maxDelaySteps, slotOffset);
    for (let b = 0; b < batch; b++) {
      const replicaOffset = b * state.neuronCount;
      const base = (t * batch + b) * pops;
      for (let p = 0; p < pops; p++) {
        for (let j = 0; j < logs.length; j++) {
          const src = logs[j];
          const from = src.offsets[base + p];
          const to = src.offsets[base + p + 1];
          if (from === to) continue;
          if (partitions.length > 0) {
            visited += deliverCut(partitions, shard, fromStep + t, src.ids, from, to, own, replicaOffset);
            continue;
          }
          visited += deliverSpikesToRanges(synapses.rowPtr, synapses.targets, synapses.weightsPa, synapses.delaySteps, src.ids, from, to, own, slotOffset, replicaOffset, state.ringExcPa, state.ringInhPa);
        }
      }
    }
  }
  return visited;
}

/** Spike by spike, through the partitioned kernel where a partition cuts the source. */
function deliverCut(partitions: StepEffects['partitions'], shard: number, step: number, ids: Int32Array, from: number, to: number, own: Int32Array, replicaOffset: number): number {
  let visited = 0;
  for (let j = from; j < to; j++) {
    const src = ids[j];
    if (partitionCuts(partitions, src, step)) {
      visited += deliverPartitioned(partitions, shard, step, src, synapses.rowPtr, synapses.targets, synapses.weightsPa, synapses.delaySteps, own, state.ringSlots, batch * state.neuronCount, replicaOffset, state.ringExcPa, state.ringInhPa);
    } else {
      visited += deliverSpikesToRanges(synapses.rowPtr, synapses.targets, synapses.weightsPa, synapses.delaySteps, ids, j, j + 1, own, slotOffset, replicaOffset, state.ringExcPa, state.ringInhPa);
    }
  }
  return visited;
}
