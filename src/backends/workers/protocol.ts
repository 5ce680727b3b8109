import type { RegroupScratch } from './delay-order.js';
import type { Synapses } from '../../model/network.js';
import type { KernelPlan } from '../kernel-plan.js';
import type { GuardSetup } from '../guards.js';
import type { StepEffects } from '../backend.js';
import type { SimulationState } from '../simulation-state.js';
import type { ShardWasmLayout } from './shard-wasm.js';

/** A contiguous range of neurons. */
export interface NeuronRange {
  lo: number;
  hi: number;
}

/**
 * The neurons one shard owns: one piece of every population (piece k of W),
 * so every shard receives a like share of every spike's synapses and the
 * shards stay balanced step by step, whichever population fires.
 */
export interface Shard {
  /** ranges[p] is this shard's piece of population p (possibly empty). */
  ranges: NeuronRange[];
}

/**
 * Spikes one shard emitted during a chunk: for chunk step t, replica b and
 * population p, ids[offsets[i] .. offsets[i + 1]) with i = (t * batch + b) * populations + p.
 */
export interface ShardSpikeLog {
  ids: Int32Array;
  offsets: Int32Array;
}

/** Everything shared by the main thread and every shard worker (handed over once, as piscina workerData). */
export interface WorkerSharedData {
  maxDelaySteps: number;
  minDelaySteps: number;
  maxChunkSteps: number;
  /** Barrier spin before sleeping: large when every worker has its own core, small when oversubscribed. */
  spinIterations: number;
  synapses: Synapses;
  state: SimulationState;
  plan: KernelPlan;
  /** Where the shared wasm memory holds the hot state and the logs (null: the JavaScript kernels run). */
  wasm: ShardWasmLayout | null;
  /** Guard settings and counters (null: guards off). */
  guards: GuardSetup | null;
  shards: Shard[];
  logs: ShardSpikeLog[];
  /** Per shard: where each source's row meets the shard's ranges (row-slices.ts). */
  rowSlices: Uint32Array[];
  /**
   * Delivery order `delay` (delay-order.ts): per shard, 1 for each source whose slices the shard has not regrouped
   * by delay yet; scratches with their journals, one per worker thread (`owners`: the thread id holding each, 0
   * when free), shared so that the main thread mends a regrouping a lost thread left torn; null in target order.
   */
  delayOrder: { pending: Uint8Array[]; scratch: RegroupScratch[]; owners: Int32Array } | null;
  /** Chunk commands of a session (chunk-session.ts): sequence, kind, done count, steps; and first step and seed. */
  command: Int32Array;
  commandF64: Float64Array;
  /** Task-chain progress, progress epoch and abort flag (see barrier.ts). */
  control: Int32Array;
  /** Synapses visited per shard (float64: counts pass 2^31 quickly). */
  events: Float64Array;
  /** Wall ms each shard spent waiting at the barrier: the cost of synchronisation and imbalance. */
  barrierWaitMs: Float64Array;
  /**
   * Wall ms each thread spent in tasks, [integrate, deliver] at 2 * slot (a
   * thread's slot is its session's shard; tasks it took from other chains
   * count to it): with barrierWaitMs, where a thread's time goes.
   */
  taskMs: Float64Array;
  /** The thread id running each shard's current task, so a supervisor can find it. */
  shardThread: Int32Array;
  /** 1 while a shard's worker is stalled by an injected failure. */
  stalled: Int32Array;
  /** Stalls each shard has served (counted when the stall ends). */
  stallsServed: Int32Array;
  /** Word 0 counts the worker threads that have loaded the shard worker (kernels compiled and warmed); a replaced thread counts again. */
  threadsReady: Int32Array;
  /** Word 0 is 1 once the run was interrupted: no injected stall starts or lasts after that (reset at each run). */
  stallRelease: Int32Array;
}

/** Failure injected for tests and the worker-crash fault: how the worker dies, at which step. */
export interface InjectedFailure {
  atStep: number;
  /** throw: the task fails; exit: the thread exits; stall: the thread blocks for stallMs (it can be terminated meanwhile). */
  mode: 'throw' | 'exit' | 'stall';
  stallMs?: number;
}

export interface ChunkTask {
  shard: number;
  fromStep: number;
  steps: number;
  /** Seed of the per-step randomness: per task, so a restore may adopt a checkpoint's seed. */
  seed: number;
  /** Storms and other per-step effects (their counters are shared memory). */
  effects: StepEffects;
  failure?: InjectedFailure;
  /** Set: a session (chunk-session.ts), the chunks come through the command block, this the command sequence number at its start. */
  sessionSeq?: number;
  /** Whether the thread may run other shards' ready tasks (off while a failure is injected, so it hits its shard's own thread). */
  steal: boolean;
}

export interface ChunkResult {
  shard: number;
  completed: boolean;
}
