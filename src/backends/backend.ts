/// <reference types="@webgpu/types" />
import type { Network } from '../model/network.js';
import type { RunLength } from './run-length.js';
import type { SpikeRecorder } from '../record/spike-recorder.js';
import type { SimulationCheckpoint } from './checkpoint.js';
import type { StormKernel } from '../../kernels/cpu/inject_storm.js';
import type { PartitionKernel } from '../../kernels/cpu/deliver_partitioned.js';
import type { Synapses } from '../model/network.js';
import type { Allocator } from '../memory/allocator.js';
import type { Precision } from './precision.js';
import type { ScrubOptions, WeightScrubber } from '../defences/weight-scrubber.js';
import type { BackendCapabilities, CapabilityName } from './capabilities.js';

/** Live state buffers every backend exposes between steps, laid out [replica][neuron] (rings: [slot][replica][neuron]). */
export type StateBufferName = 'membraneMv' | 'currentExcPa' | 'currentInhPa' | 'refractorySteps' | 'ringExcPa' | 'ringInhPa' | 'faultCode' | 'faultParams' | 'faultedPopulations';

export const STATE_BUFFER_NAMES: readonly StateBufferName[] = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa', 'faultCode', 'faultParams', 'faultedPopulations'];

/** Per-step effects the kernels apply inside a run (the chaos layer sets them between runs). */
export interface StepEffects {
  storms: StormKernel[];
  partitions: PartitionKernel[];
}

export interface SimulationOptions {
  /** Replicas of the network run side by side, sharing connectivity, differing by seed. @defaultValue 1 */
  batch?: number;
  /** Seed of the per-step randomness (Poisson drive) and initial potentials. @defaultValue the network's seed */
  seed?: number;
  /** Spikes before this simulated time are recorded and hashed but left out of rates. @defaultValue 0 */
  warmupMs?: number;
  /** Where large buffers come from. @defaultValue the process-wide allocator */
  allocator?: Allocator;
  /** Guards against non-finite state and saturating input (a defence; on by default in experiments, off in plain simulations). */
  guards?: GuardOptions;
  /** Graceful degradation (a defence): refused allocations are retried with backoff and the backend sheds what it can (smaller record chunks, a restart point) instead of failing. @defaultValue true */
  degrade?: boolean;
  /** Weight integrity scrubbing (a defence; off unless given, it holds a golden copy of the weights). */
  scrub?: ScrubOptions;
  /**
   * The noise stream each replica draws its Poisson drive and initial potentials from, one integer in
   * [0, 4294967295] per replica (length `batch`). Replicas given the same stream share drive and initial
   * state (paired controls). Checkpointed with the state. @defaultValue the identity: replica b draws stream b
   */
  noiseStreams?: readonly number[];
  /**
   * The arithmetic of the LIF update (src/backends/precision.ts): `float64` computes each update in
   * float64 and rounds once per stored value (the reference, bit-identical to earlier releases);
   * `float32` rounds every operation to float32, as Brian2's and GeNN's single-precision modes do
   * (cpu and workers run it about 2x faster per update; webgpu and tfjs compute in float32 per op
   * whatever is asked; gpujs refuses it). See docs/performance.md, "Single precision".
   * @defaultValue 'float64'
   */
  precision?: Precision;
  /**
   * webgpu backend: the GPUDevice to run on (a browser page's, or one a library user holds). Absent:
   * navigator.gpu (Deno, browsers), else the optional `webgpu` package (Dawn) in Node.
   */
  gpuDevice?: GPUDevice;
}

export interface GuardOptions {
  /** @defaultValue false for a plain backend; the experiment engine passes true unless the scenario says otherwise */
  enabled?: boolean;
  /** Cap on the input arriving at a neuron in one step, per channel. @defaultValue 100000 pA */
  saturationPa?: number;
  /** How long a neuron whose state went non-finite is held silent. @defaultValue 10 ms */
  quarantineMs?: number;
}

export interface RunOptions {
  /** Aborting stops the run at the next chunk boundary; the state stays consistent. */
  signal?: AbortSignal;
  /** Called after every chunk with steps done and steps asked for. */
  onProgress?: (done: number, total: number) => void;
  /** Steps between progress reports and abort checks. @defaultValue 100 */
  chunkSteps?: number;
}

export interface RunOutcome {
  stepsRun: number;
  interrupted: boolean;
}

export interface BackendMetrics {
  steps: number;
  simulatedMs: number;
  /** Wall time spent inside run(). */
  wallMs: number;
  spikes: number;
  /** Synapse activations (spike x outgoing synapse) delivered. */
  synapticEvents: number;
  /** Bytes of per-replica state (membranes, currents, counters, rings). */
  stateBytes: number;
  /** Bytes of shared connectivity. */
  connectivityBytes: number;
  /** Guards: neurons whose non-finite state was contained, and inputs capped or dropped. */
  nonFiniteContained: number;
  inputsCapped: number;
  /** Device memory of backends that hold their state on a device (tfjs): flavour and bytes. */
  device?: { flavour: string; bytes: number; engineBytes: number; engineTensors: number };
  /** Device-resident stepping (webgpu): dispatches per step, host synchronisations per chunk, the adapter. */
  gpu?: GpuStepCounters;
}

/** What device-resident stepping cost (metrics().gpu of the webgpu backend). */
export interface GpuStepCounters {
  /** The adapter: vendor, architecture, whether it is a software (CPU) implementation, and how the device was obtained. */
  adapter: { provider: string; vendor: string; architecture: string; device: string; description: string; software: boolean; passedOver: string[] };
  /** Steps encoded into submissions. */
  stepsEncoded: number;
  /** Compute dispatches encoded. */
  dispatches: number;
  /** Submissions of a chunk of steps. */
  chunks: number;
  /** Every wait of the host for the device (chunk read-backs and state read-backs). */
  hostSyncs: number;
  /** Waits for the chunks' spikes and counters. */
  chunkSyncs: number;
  dispatchesPerStep: number;
  hostSyncsPerChunk: number;
  /** Bytes of this simulation's device buffers. */
  deviceBytes: number;
  /** Buffers split to respect the adapter's largest storage binding: ring parts (by replica), synapse parts (by index). */
  ringParts: number;
  synapseParts: number;
}

export interface SimulationBackend {
  /** What runs the simulation, e.g. `cpu` (single-threaded reference). */
  readonly name: string;
  readonly network: Network;
  readonly batch: number;
  /** Seed of per-step randomness (adopted from a restored checkpoint). */
  readonly seed: number;
  /** Steps completed so far. */
  readonly currentStep: number;
  readonly recorder: SpikeRecorder;
  /**
   * Advances the simulation: a number of steps, `{ steps }`, or `{ durationMs }` (simulated ms, a multiple of dt;
   * see run-length.ts). One run at a time per backend.
   * @throws InputError naming `durationMs` off the dt grid; naming `run` when another run() of this backend is still in progress (nothing of that run is touched)
   */
  run(length: RunLength, options?: RunOptions): Promise<RunOutcome>;
  /** The weight scrubber, when scrubbing is on. */
  readonly scrubber: WeightScrubber | null;
  /** Shards that run in parallel (1 for single-threaded backends): sizes per-shard counters. */
  readonly shardCount: number;
  /** A live state buffer; reads and writes are valid between run() calls. */
  buffer(name: StateBufferName): Float32Array | Int32Array | Uint8Array;
  /**
   * The live connectivity, shared by every replica (weight faults write here, between runs).
   * @throws UnsupportedError naming `deliveryOrder` on a workers backend in delivery order `delay` (its synapse indices are not the network's)
   */
  synapses(): Synapses;
  /** Replaces the per-step effects (storms) applied from the next step on. */
  setStepEffects(effects: StepEffects): void;
  metrics(): BackendMetrics;
  /** A copy of the whole dynamic state (between runs). */
  checkpoint(): SimulationCheckpoint;
  /** Puts a checkpoint's state back (same network and batch; adopts its seed and step). */
  restore(cp: SimulationCheckpoint): void;
  /** The noise stream each replica draws from (a copy; length `batch`; see SimulationOptions.noiseStreams). */
  noiseStreams(): number[];
  /**
   * Re-maps replicas to noise streams from the next step on (between runs). The state already drawn
   * (initial potentials) stays: give the map in SimulationOptions to have it drawn from the streams too.
   * @throws InputError when not `batch` integers in [0, 4294967295]
   */
  setNoiseStreams(streams: readonly number[]): void;
  /** Releases threads and memory; afterwards every method that touches the state throws usedAfterDispose(name) (src/util/errors.ts: an InputError on `backend`, code used-after-dispose). Called during a run(), it stops that run first (it resolves `interrupted` at the end of the chunk in progress) and waits for it. */
  dispose(): Promise<void>;
  /**
   * An optional capability by name (capabilities.ts), or null when this
   * backend lacks it. A backend that offers none may leave this out; ask
   * through capabilityOf / requireCapability, never with instanceof.
   */
  capability?<K extends CapabilityName>(name: K): BackendCapabilities[K] | null;
}
