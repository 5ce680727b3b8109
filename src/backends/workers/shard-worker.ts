import { threadId, workerData } from 'node:worker_threads';
import { deliverSpikes } from '../../../kernels/cpu/deliver_spikes.js';
import { computeSlotOffsets, integrateStep } from '../cpu-step.js';
import { barrierWait } from './barrier.js';
import type { ChunkResult, ChunkTask, WorkerSharedData } from './protocol.js';
import { shardRowSlices } from './shard-slices.js';

/**
 * The shard worker: advances its shard through a chunk of steps. Within a
 * chunk, shards run in lock step by min-delay intervals: integrate an
 * interval (spikes go to the shard's log), meet at the barrier, then deliver
 * the whole interval's spikes, from every shard in order, into the own
 * shard's ring buffers. A spike's delay is at least one interval, so it never
 * lands in a step already integrated. At the end of a chunk every spike is
 * delivered: the state between chunks equals the reference simulator's.
 */
const shared = workerData as WorkerSharedData;
const { state, synapses, plan, shards, logs, control, events, seed, maxDelaySteps, minDelaySteps } = shared;
const batch = state.batch;
const slotOffset = new Float64Array(maxDelaySteps + 1);
const slices = new Map<number, { lo: Uint32Array; hi: Uint32Array }>();

function slicesOf(shard: number) {
  let s = slices.get(shard);
  if (!s) {
    s = shardRowSlices(synapses.rowPtr, synapses.targets, state.neuronCount, shards[shard].lo, shards[shard].hi);
    slices.set(shard, s);
  }
  return s;
}

export default function runChunk(task: ChunkTask): ChunkResult {
  const { shard, fromStep, steps, failure } = task;
  Atomics.store(shared.shardThread, shard, threadId);
  const { lo, hi } = shards[shard];
  const own = slicesOf(shard);
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
        } else throw new Error(`injected failure of shard ${shard} at step ${step}`);
      }
      for (let b = 0; b < batch; b++) {
        const at = log.offsets[t * batch + b];
        log.offsets[t * batch + b + 1] = at + integrateStep(plan, state, seed, step, b, lo, hi, log.ids, at);
      }
    }
    const w0 = performance.now();
    const ok = barrierWait(control, shared.spinIterations);
    shared.barrierWaitMs[shard] += performance.now() - w0;
    if (!ok) return { shard, completed: false };
    delivered += deliverInterval(shard, fromStep, t0, t1, own.lo, own.hi);
  }
  events[shard] += delivered;
  return { shard, completed: true };
}

/** Delivers every shard's spikes of chunk steps [t0, t1) into this shard's targets. */
function deliverInterval(shard: number, fromStep: number, t0: number, t1: number, rowLo: Uint32Array, rowHi: Uint32Array): number {
  let visited = 0;
  for (let t = t0; t < t1; t++) {
    computeSlotOffsets(state, fromStep + t, maxDelaySteps, slotOffset);
    for (let b = 0; b < batch; b++) {
      const replicaOffset = b * state.neuronCount;
      for (let j = 0; j < logs.length; j++) {
        const src = logs[j];
        const from = src.offsets[t * batch + b];
        const to = src.offsets[t * batch + b + 1];
        if (from === to) continue;
        visited += deliverSpikes(rowLo, rowHi, 0, synapses.targets, synapses.weightsPa, synapses.delaySteps, src.ids, from, to, slotOffset, replicaOffset, state.ringExcPa, state.ringInhPa);
      }
    }
  }
  void shard;
  return visited;
}
