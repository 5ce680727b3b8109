import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Network } from '../model/network.js';
import { connectivityBytes } from '../model/network.js';
import { validateSeed } from '../model/builder.js';
import { SpikeRecorder } from '../record/spike-recorder.js';
import { allocatorChunks } from '../record/allocator-chunks.js';
import { check } from '../util/errors.js';
import { applyCheckpointState, captureCheckpoint, checkCompatible, type SimulationCheckpoint } from './checkpoint.js';
import type { BackendMetrics, RunOptions, RunOutcome, SimulationBackend, SimulationOptions, StateBufferName, StepEffects } from './backend.js';
import type { Synapses } from '../model/network.js';
import { deliverStep, integrateStep } from './cpu-step.js';
import { planKernels, type KernelPlan } from './kernel-plan.js';
import { warmCpuKernels } from './warm-kernels.js';
import { allocateState, initializeState, releaseState, stateBuffer, stateBytes, type SimulationState } from './simulation-state.js';
import { defaultAllocator, type Allocator } from '../memory/allocator.js';
import { guardKernel, guardTotals, setupGuards, type GuardSetup } from './guards.js';
import { makeScrubber } from './make-scrubber.js';
import type { WeightScrubber } from '../defences/weight-scrubber.js';
import type { GuardKernel } from '../../kernels/cpu/lif_step.js';

export const MAX_BATCH = 4096;

export function resolveSimulationOptions(network: Network, options: SimulationOptions) {
  const batch = options.batch ?? 1;
  check(Number.isInteger(batch) && batch >= 1 && batch <= MAX_BATCH, 'batch', () => `must be an integer in [1, ${MAX_BATCH}] (got ${batch})`);
  const seed = validateSeed(options.seed ?? network.seed);
  const warmupMs = options.warmupMs ?? 0;
  check(Number.isFinite(warmupMs) && warmupMs >= 0, 'warmupMs', () => `must be a number >= 0 (got ${warmupMs})`);
  return { batch, seed, warmupSteps: Math.round(warmupMs / network.dtMs) };
}

export function validateSteps(steps: number): void {
  check(Number.isInteger(steps) && steps >= 0 && steps <= 2 ** 32 - 1, 'steps', () => `must be an integer in [0, 4294967295] (got ${steps})`);
}

/**
 * The single-threaded reference simulator (`--backend cpu`): the semantics
 * every other backend is compared against, spike for spike.
 */
export class ReferenceBackend implements SimulationBackend {
  readonly name = 'cpu';
  readonly shardCount = 1;
  private effects: StepEffects = { storms: [], partitions: [] };
  readonly batch: number;
  seed: number;
  readonly recorder: SpikeRecorder;
  private readonly plan: KernelPlan;
  private readonly state: SimulationState;
  private readonly spikes: Int32Array;
  private readonly slotOffset: Float64Array;
  private step = 0;
  private readonly allocator: Allocator;
  private readonly guards: GuardSetup | null;
  readonly scrubber: WeightScrubber | null;
  private readonly guard: GuardKernel | null;
  private disposed = false;
  private wallMs = 0;
  private events = 0;

  constructor(readonly network: Network, options: SimulationOptions = {}) {
    const { batch, seed, warmupSteps } = resolveSimulationOptions(network, options);
    this.batch = batch;
    this.seed = seed;
    this.plan = planKernels(network);
    this.allocator = options.allocator ?? defaultAllocator;
    this.state = allocateState(network, batch, false, this.allocator);
    initializeState(this.state, network, seed);
    try {
      this.recorder = new SpikeRecorder(network.neuronCount, batch, warmupSteps, allocatorChunks(this.allocator, options.degrade !== false));
    } catch (e) {
      releaseState(this.state, this.allocator); // nothing half-built stays charged to the allocator
      throw e;
    }
    this.spikes = new Int32Array(network.neuronCount);
    this.guards = setupGuards(network, options.guards, 1);
    this.scrubber = makeScrubber(network.synapses, options.scrub);
    this.guard = guardKernel(this.guards, 0);
    warmCpuKernels(this.plan, this.guard);
    this.slotOffset = new Float64Array(network.maxDelaySteps + 1);
  }

  get currentStep(): number {
    return this.step;
  }

  /** Advances `steps` steps synchronously. */
  advance(steps: number): void {
    validateSteps(steps);
    const t0 = performance.now();
    const net = this.network;
    const n = net.neuronCount;
    for (let s = 0; s < steps; s++) {
      const step = this.step;
      for (let b = 0; b < this.batch; b++) {
        const count = integrateStep(this.plan, this.state, this.effects, 0, this.seed, step, b, 0, n, this.spikes, 0, this.guard);
        this.recorder.record(step, b, this.spikes, count);
        if (count > 0) this.events += deliverStep(net.synapses, this.state, this.effects, step, b, this.spikes, count, this.slotOffset, net.maxDelaySteps);
      }
      this.step++;
      this.scrubber?.tick(this.step);
    }
    this.wallMs += performance.now() - t0;
  }

  async run(steps: number, options: RunOptions = {}): Promise<RunOutcome> {
    validateSteps(steps);
    const chunk = Math.max(1, options.chunkSteps ?? 100);
    let done = 0;
    while (done < steps) {
      if (options.signal?.aborted) return { stepsRun: done, interrupted: true };
      const n = Math.min(chunk, steps - done);
      this.advance(n);
      done += n;
      options.onProgress?.(done, steps);
      // Let signal handlers and timers run between chunks.
      if (done < steps) await yieldToEventLoop();
    }
    return { stepsRun: done, interrupted: false };
  }

  buffer(name: StateBufferName): Float32Array | Int32Array | Uint8Array {
    return stateBuffer(this.state, name);
  }

  synapses(): Synapses {
    return this.network.synapses;
  }

  setStepEffects(effects: StepEffects): void {
    this.effects = effects;
  }

  metrics(): BackendMetrics {
    return {
      steps: this.step,
      simulatedMs: this.step * this.network.dtMs,
      wallMs: this.wallMs,
      spikes: this.recorder.totalSpikes,
      synapticEvents: this.events,
      stateBytes: stateBytes(this.state),
      connectivityBytes: connectivityBytes(this.network),
      ...guardTotals(this.guards),
    };
  }

  checkpoint(): SimulationCheckpoint {
    return captureCheckpoint(this.network, this.state, this.recorder, this.seed, this.step, this.events);
  }

  restore(cp: SimulationCheckpoint): void {
    checkCompatible(cp, this.network, this.state);
    // The record first: it is the part that allocates, and a refused allocation must leave everything as it was.
    this.recorder.restore(cp.spikes, cp.counts, cp.countFromStep, cp.step);
    applyCheckpointState(cp, this.state);
    this.seed = cp.seed;
    this.step = cp.step;
    this.events = cp.synapticEvents;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    releaseState(this.state, this.allocator);
    this.recorder.returnMemory();
  }
}
