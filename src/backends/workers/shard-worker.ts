import { threadId, workerData } from 'node:worker_threads';
import { deliverSpikesToRanges } from '../../../kernels/cpu/deliver_spikes.js';
import { deliverPartitioned, partitionCuts } from '../../../kernels/cpu/deliver_partitioned.js';
import type { StepEffects } from '../backend.js';
import { computeSlotOffsets, integrateStep } from '../cpu-step.js';
import { aborted, chainClaimed, chainDone, claimTask, completeTask, CTL_EPOCH, SpinBudget, waitForCommand, waitForProgress } from './barrier.js';
import { CMD_KIND, CMD_STEPS, CMD_DONE, CMDF_FROM, CMDF_SEED, KIND_STOP } from './chunk-session.js';
import { guardKernel } from '../guards.js';
import { warmCpuKernels } from '../warm-kernels.js';
import { piecesInOrder } from './partition.js';
import { deliverSlices, warmDeliverSlices } from './row-slices.js';
import { claimScratch, regroupSources, sliceSorter } from './delay-order.js';
import { ShardWasmKernels } from './shard-wasm.js';
import type { ChunkResult, ChunkTask, WorkerSharedData } from './protocol.js';

/**
 * The shard worker: advances the shards through a chunk of steps. Within a
 * chunk, every shard's work is a chain of tasks by min-delay intervals
 * (barrier.ts): integrate an interval (spikes go to the shard's log), then,
 * once every shard has integrated it, deliver the whole interval's spikes,
 * from every shard in ascending neuron order, into the shard's ring buffers.
 * A spike's delay is at least one interval, so it never lands in a step
 * already integrated. A thread runs its own shard's chain and takes ready
 * tasks of other chains when its own must wait. At the end of a chunk every
 * spike is delivered: the state between chunks equals the reference
 * simulator's.
 */
const shared = workerData as WorkerSharedData;
const { state, synapses, plan, shards, logs, control, maxDelaySteps, minDelaySteps } = shared;
const batch = state.batch;
const pops = shards[0].ranges.length;
const chains = shards.length;
const slotOffset = new Float64Array(maxDelaySteps + 1);
/** slotOffset plus the replica's offset, as int32 (ring indices stay below 2^31: the rings are typed arrays). */
const slotBase = new Int32Array(maxDelaySteps + 1);
const flatRanges = shards.map((sh) => Int32Array.from(sh.ranges.flatMap((r) => [r.lo, r.hi])));
/** Per population, the shards' logs in ascending neuron order (partition.ts: every other population's pieces run backwards). */
const logOrder = piecesInOrder(shards);
const guards = shards.map((_, k) => guardKernel(shared.guards, k));
warmCpuKernels(plan, guards[0]);
warmDeliverSlices();
const spin = new SpinBudget(shared.spinIterations);
/** With work sharing, sleepers are woken every this many completed tasks (a power of two; see completeTask). */
const WAKE_EVERY_TASKS = 8;
/**
 * A task that took at least this long (ms) wakes sleepers when it completes,
 * whatever WAKE_EVERY_TASKS says. Why: a notify costs a system call of a few
 * microseconds, about one task of a small network (CUBA: 2-4 us), so small
 * networks wake sleepers every 8 tasks; but a full-scale task takes
 * milliseconds, a wait for the slower shard outlasts the spin budget, and a
 * sleeper woken only every 8 tasks left the thread awake to run both shards
 * one after the other: measured on the full-scale microcircuit with 2
 * workers, 14-20 s of wall for 1 s at about 1.1 cores (16-21 s CPU).
 */
const WAKE_AFTER_TASK_MS = 0.05;
let tasksDone = 0;
const wasm = shared.wasm ? new ShardWasmKernels(shared.wasm, plan, logs.map((l) => l.ids)) : null;
/** Delivery as wasm where the shared memory holds the synapses (and so the live weights faults write) and the row slices. */
const wasmDeliver = wasm !== null && wasm.delivers ? wasm : null;
/** Delivery order `delay`: this thread's sorter (over its own scratch), which regroups a source's slices the first time a shard delivers it (delay-order.ts). */
const regroup = regrouperOfThisThread();
// This thread is ready: its kernels are compiled and warmed (WorkersBackend.threadsReady waits for every thread).
Atomics.add(shared.threadsReady, 0, 1);
Atomics.notify(shared.threadsReady, 0);

export default function runTask(task: ChunkTask): ChunkResult {
  return task.sessionSeq === undefined ? runChunk(task) : runSession(task, task.sessionSeq);
}

/**
 * A session: chunk after chunk as the main thread posts them in the command
 * block (chunk-session.ts), until it posts stop or the run is aborted.
 */
function runSession(task: ChunkTask, seq: number): ChunkResult {
  const { command, commandF64 } = shared;
  const chunk: ChunkTask = { shard: task.shard, fromStep: 0, steps: 0, seed: 0, effects: task.effects, steal: true };
  for (;;) {
    const w0 = performance.now();
    const next = waitForCommand(command, seq, control, spin);
    shared.barrierWaitMs[task.shard] += performance.now() - w0;
    if (next < 0) return { shard: task.shard, completed: false };
    seq = next;
    if (Atomics.load(command, CMD_KIND) === KIND_STOP) return { shard: task.shard, completed: true };
    chunk.fromStep = commandF64[CMDF_FROM];
    chunk.seed = commandF64[CMDF_SEED];
    chunk.steps = Atomics.load(command, CMD_STEPS);
    const r = runChunk(chunk);
    if (!r.completed) return r;
    if (Atomics.add(command, CMD_DONE, 1) + 1 === chains) Atomics.notify(command, CMD_DONE);
  }
}

/**
 * One chunk: runs tasks of the chains (its own shard's first) until nothing
 * is left to claim. Synapses visited and time waited are summed locally and
 * added to the shared counters of this task's slot once, at the end: every
 * thread adding to one cache line at every task would bounce it between the
 * cores (false sharing) at every step. Any slot may hold any chain's events:
 * only their sum is read.
 */
function runChunk(task: ChunkTask): ChunkResult {
  const { shard, steps } = task;
  Atomics.store(shared.shardThread, shard, threadId);
  const total = 2 * Math.ceil(steps / minDelaySteps);
  // With an injected failure in the chunk, each thread keeps to its own shard, so the failure hits the shard it names.
  const reach = task.steal ? chains : 1;
  let visited = 0;
  let waitedMs = 0;
  let integrateMs = 0;
  let deliverMs = 0;
  let completed = true;
  for (;;) {
    if (aborted(control)) {
      completed = false;
      break;
    }
    const epoch = Atomics.load(control, CTL_EPOCH);
    let ran = false;
    let open = false;
    for (let off = 0; off < reach; off++) {
      const k = (shard + off) % chains;
      const x = chainDone(control, k);
      if (x >= total) continue;
      const claimed = chainClaimed(control, k);
      if (claimed < total) open = true;
      if (claimed !== x) continue;
      if ((x & 1) === 1 && !allIntegrated(x, total)) continue;
      if (!claimTask(control, k, x)) continue;
      const t0 = performance.now();
      if ((x & 1) === 0) integrateInterval(task, k, x >> 1);
      else visited += deliverInterval(k, task, x >> 1);
      const tookMs = performance.now() - t0;
      if ((x & 1) === 0) integrateMs += tookMs;
      else deliverMs += tookMs;
      const long = tookMs >= WAKE_AFTER_TASK_MS;
      completeTask(control, k, x, !task.steal || x + 1 === total || long || (++tasksDone & (WAKE_EVERY_TASKS - 1)) === 0);
      ran = true;
      break;
    }
    if (ran) continue;
    // Nothing left to claim: the rest (if any) is running on other threads.
    if (!open) break;
    const w0 = performance.now();
    const ok = waitForProgress(control, epoch, spin);
    waitedMs += performance.now() - w0;
    if (!ok) {
      completed = false;
      break;
    }
  }
  shared.events[shard] += visited;
  shared.barrierWaitMs[shard] += waitedMs;
  shared.taskMs[2 * shard] += integrateMs;
  shared.taskMs[2 * shard + 1] += deliverMs;
  return { shard, completed };
}

/** The sorter over the scratch this thread claims (null in target order, or with no scratch free: then it delivers without regrouping). */
function regrouperOfThisThread(): ((begin: number, end: number) => void) | null {
  const d = shared.delayOrder;
  if (d === null) return null;
  const slot = claimScratch(d.owners, threadId);
  return slot < 0 ? null : sliceSorter(synapses, d.scratch[slot], maxDelaySteps);
}

/** Whether every chain has integrated the interval that task x (a delivery) delivers. */
function allIntegrated(x: number, total: number): boolean {
  for (let j = 0; j < chains; j++) if (Math.min(chainDone(control, j), total) < x) return false;
  return true;
}

/** Integrates chunk interval i of shard k: its steps, every replica, population by population. */
function integrateInterval(task: ChunkTask, k: number, i: number): void {
  const { fromStep, steps, seed, failure, effects } = task;
  const ranges = shards[k].ranges;
  const log = logs[k];
  const guard = guards[k];
  const t0 = i * minDelaySteps;
  const t1 = Math.min(steps, t0 + minDelaySteps);
  if (t0 === 0) log.offsets[0] = 0;
  wasm?.useShard(k);
  for (let t = t0; t < t1; t++) {
    const step = fromStep + t;
    if (failure && failure.atStep === step && k === task.shard) {
      if (failure.mode === 'exit') process.exit(70);
      if (failure.mode === 'stall') {
        Atomics.store(shared.stalled, k, 1);
        // Checked after announcing the stall: an interruption that came before this load is seen here, and one that
        // comes after it finds the stall announced and ends it (WorkersBackend.abortRequested).
        if (Atomics.load(shared.stallRelease, 0) === 0) Atomics.wait(shared.stalled, k, 1, failure.stallMs ?? 10_000);
        Atomics.store(shared.stalled, k, 0);
        Atomics.add(shared.stallsServed, k, 1);
      } else throw new Error(`injected failure of shard ${k} at step ${step}`);
    }
    for (let b = 0; b < batch; b++) {
      const base = (t * batch + b) * pops;
      for (let p = 0; p < pops; p++) {
        const at = log.offsets[base + p];
        const r = ranges[p];
        log.offsets[base + p + 1] = r.lo < r.hi ? at + integrateStep(plan, state, effects, k, seed, step, b, r.lo, r.hi, log.ids, at, guard, wasm) : at;
      }
    }
  }
}

/** Delivers every shard's spikes of chunk interval i, in ascending source order, into shard k's ranges. Returns synapses visited. */
function deliverInterval(shard: number, task: ChunkTask, i: number): number {
  const { fromStep, steps, effects } = task;
  const own = flatRanges[shard];
  const slices = shared.rowSlices[shard];
  const t0 = i * minDelaySteps;
  const t1 = Math.min(steps, t0 + minDelaySteps);
  const partitions = effects.partitions;
  // The wasm kernel reads the slot bases from the memory: this shard's own array there (a thread delivers one shard at a time).
  const bases = wasmDeliver !== null ? wasmDeliver.slotBase(shard) : slotBase;
  let visited = 0;
  for (let t = t0; t < t1; t++) {
    computeSlotOffsets(state, fromStep + t, maxDelaySteps, slotOffset);
    for (let b = 0; b < batch; b++) {
      const replicaOffset = b * state.neuronCount;
      for (let d = 0; d <= maxDelaySteps; d++) bases[d] = slotOffset[d] + replicaOffset;
      const base = (t * batch + b) * pops;
      for (let p = 0; p < pops; p++) {
        const order = logOrder[p];
        for (let q = 0; q < order.length; q++) {
          const j = order[q];
          const src = logs[j];
          const from = src.offsets[base + p];
          const to = src.offsets[base + p + 1];
          if (from === to) continue;
          if (partitions.length > 0) {
            visited += deliverCut(partitions, shard, fromStep + t, src.ids, from, to, own, replicaOffset);
            continue;
          }
          if (regroup !== null) regroupSources(regroup, shared.delayOrder!.pending[shard], slices, pops, src.ids, from, to);
          if (wasmDeliver !== null) visited += wasmDeliver.deliver(shard, j, from, to);
          else visited += deliverSlices(slices, pops, synapses.targets, synapses.weightsPa, synapses.delaySteps, src.ids, from, to, slotBase, state.ringExcPa, state.ringInhPa);
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
