import type { Synapses } from '../../model/network.js';
import type { KernelPlan } from '../kernel-plan.js';
import type { SimulationState } from '../simulation-state.js';

/** A contiguous range of target neurons owned by one shard. */
export interface ShardRange {
  lo: number;
  hi: number;
}

/** Spikes one shard emitted during a chunk: ids[offsets[t * batch + b] .. offsets[t * batch + b + 1]). */
export interface ShardSpikeLog {
  ids: Int32Array;
  offsets: Int32Array;
}

/** Everything shared by the main thread and every shard worker (handed over once, as piscina workerData). */
export interface WorkerSharedData {
  seed: number;
  maxDelaySteps: number;
  minDelaySteps: number;
  maxChunkSteps: number;
  /** Barrier spin before sleeping: large when every worker has its own core, small when oversubscribed. */
  spinIterations: number;
  synapses: Synapses;
  state: SimulationState;
  plan: KernelPlan;
  shards: ShardRange[];
  logs: ShardSpikeLog[];
  /** Barrier and abort flag (see barrier.ts). */
  control: Int32Array;
  /** Synapses visited per shard (float64: counts pass 2^31 quickly). */
  events: Float64Array;
  /** Wall ms each shard spent waiting at the barrier: the cost of synchronisation and imbalance. */
  barrierWaitMs: Float64Array;
  /** The thread id running each shard's current task, so a supervisor can find it. */
  shardThread: Int32Array;
  /** 1 while a shard's worker is stalled by an injected failure. */
  stalled: Int32Array;
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
  failure?: InjectedFailure;
}

export interface ChunkResult {
  shard: number;
  completed: boolean;
}
