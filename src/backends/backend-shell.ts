import { assertNotRegrouped } from '../model/regrouped-connectivity.js';
import { EventEmitter } from 'node:events';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DEFAULT_CHUNK_STEPS } from '../config/settings.js';
import type { WeightScrubber } from '../defences/weight-scrubber.js';
import { defaultAllocator, type Allocator } from '../memory/allocator.js';
import { connectivityBytes, type Network, type Synapses } from '../model/network.js';
import { allocatorChunks } from '../record/allocator-chunks.js';
import { SpikeRecorder } from '../record/spike-recorder.js';
import { InputError, usedAfterDispose } from '../util/errors.js';
import type { BackendMetrics, RunOptions, RunOutcome, SimulationBackend, SimulationOptions, StateBufferName, StepEffects } from './backend.js';
import { applyCheckpointState, captureCheckpoint, checkCompatible, type SimulationCheckpoint } from './checkpoint.js';
import { ChunkPacer } from './chunk-pacer.js';
import { guardTotals, setupGuards, type GuardSetup } from './guards.js';
import { makeScrubber } from './make-scrubber.js';
import { validateNoiseStreams } from './noise-streams.js';
import { DYNAMIC_STATE_KEYS, allocateState, initializeState, releaseState, stateBuffer, stateBytes, type SimulationState } from './simulation-state.js';
import { resolveSimulationOptions, validateSteps } from './simulation-options.js';
import { stepsOfRunLength, type RunLength } from './run-length.js';
import { checkPrecisionSupported, type Precision } from './precision.js';


/** How a backend's host state and connectivity are laid out: what the shell needs from it at construction. */
export interface ShellLayout {
  /** Host state in SharedArrayBuffers (worker threads map it). */
  sharedState: boolean;
  /** Shards whose guard counters are kept apart (1 for single-threaded backends). */
  guardShards: number;
  /** The connectivity the kernels read; weight faults and the scrubber write here. @defaultValue network.synapses */
  synapses?: Synapses;
  /** The backend's name and the precisions it takes (any other is refused, with `why`). @defaultValue float64 only */
  precisions?: { backend: string; supported: readonly Precision[]; why?: string };
}

/** Events a backend may emit (the workers' supervision events); none by default. */
type EventMapOf<E> = Record<keyof E, unknown[]> | [never];

/**
 * What every backend shares, written once: options, the host state (the
 * SimulationState the chaos layer reads and writes between runs, with the
 * replica-to-noise-stream map), the spike record (its memory from the
 * allocator), guards and scrubber, a chunked run() with abort checks and a
 * turn of the event loop between chunks (chunk-pacer.ts), checkpoint and
 * restore (the record, and a durable writer attached to it, cut back to the
 * checkpoint's step), metrics, and dispose with one use-after-dispose error.
 *
 * A backend supplies its kernels (`advanceSteps`) and, where its working
 * state lives elsewhere (a device), the hooks that keep the host state in
 * step with it: `prepareRun` (host writes to the device), `pullState`
 * (device to host), `stateWritten`, `afterRestore`, `releaseKernels`.
 */
export abstract class BackendShell<Events extends EventMapOf<Events> = [never]> extends EventEmitter<Events> implements SimulationBackend {
  abstract readonly name: string;
  readonly batch: number;
  seed: number;
  readonly recorder: SpikeRecorder;
  /** The LIF update's arithmetic (SimulationOptions.precision). */
  readonly precision: Precision;
  readonly scrubber: WeightScrubber | null;
  /** Host state, [replica][neuron] (rings [slot][replica][neuron]); the source of truth between runs. */
  protected readonly state: SimulationState;
  protected readonly allocator: Allocator;
  /** Graceful degradation (SimulationOptions.degrade). */
  protected readonly degrade: boolean;
  protected readonly guards: GuardSetup | null;
  protected effects: StepEffects = { storms: [], partitions: [] };
  /** Steps completed. Kernels advance it; a supervisor may move it back to a restart point. */
  protected step = 0;
  /** Synapse activations delivered (backends that count elsewhere override synapticEvents()). */
  protected events = 0;
  protected wallMs = 0;
  private readonly liveSynapses: Synapses;
  private readonly pacer = new ChunkPacer();
  private disposed = false;
  /** The run() in progress, if any: dispose() stops it at its next chunk boundary and waits for it before it frees anything. */
  private runInFlight: Promise<RunOutcome> | null = null;
  /** The release dispose() started: every later call returns it. */
  private disposing: Promise<void> | null = null;

  /** @throws InputError for bad options; AllocationError when the state or record memory is refused (nothing stays charged) */
  protected constructor(readonly network: Network, options: SimulationOptions, layout: ShellLayout) {
    super();
    assertNotRegrouped(network);
    const { batch, seed, warmupSteps, noiseStreams, precision } = resolveSimulationOptions(network, options);
    checkPrecisionSupported(precision, layout.precisions?.backend ?? 'this', layout.precisions?.supported ?? ['float64'], layout.precisions?.why);
    this.precision = precision;
    this.batch = batch;
    this.seed = seed;
    this.allocator = options.allocator ?? defaultAllocator;
    this.degrade = options.degrade !== false;
    this.guards = setupGuards(network, options.guards, layout.guardShards);
    this.state = allocateState(network, batch, layout.sharedState, this.allocator);
    this.state.noiseStreams.set(noiseStreams);
    initializeState(this.state, network, seed);
    try {
      this.recorder = new SpikeRecorder(network.neuronCount, batch, warmupSteps, allocatorChunks(this.allocator, this.degrade));
    } catch (e) {
      releaseState(this.state, this.allocator); // nothing half-built stays charged to the allocator
      throw e;
    }
    this.liveSynapses = layout.synapses ?? network.synapses;
    this.scrubber = makeScrubber(this.liveSynapses, options.scrub);
  }

  /**
   * For a subclass constructor that fails after the shell was built: gives
   * the shell's memory back to the allocator and rethrows `error`.
   */
  protected abandon(error: unknown): never {
    this.disposed = true;
    releaseState(this.state, this.allocator);
    this.recorder.returnMemory();
    throw error;
  }

  // ---- what a backend supplies ----

  /**
   * Runs `steps` steps from `this.step` and advances it (the kernels). A
   * supervised backend may instead move `this.step` back to a restart point
   * after a failure: run() goes on until the target is reached.
   */
  protected abstract advanceSteps(steps: number): void | Promise<void>;

  /** Before the first chunk of every run: put host-side changes (faults, weights) where the kernels read them. */
  protected prepareRun(): void | Promise<void> {}

  /**
   * Whether the kernels run on the main thread, blocking the event loop for
   * a whole chunk: then chunks are paced to CHUNK_BUDGET_MS of wall time, so
   * SIGINT is answered promptly. A backend whose chunks run elsewhere (worker
   * threads) leaves the event loop free meanwhile and keeps its chunks long.
   */
  protected blocksEventLoop(): boolean {
    return true;
  }

  /**
   * The run's signal fired (Ctrl-C) while a chunk may be running. The run
   * stops at the next chunk boundary; a backend whose chunk can wait on
   * something the run no longer needs (an injected stall) ends that wait here.
   */
  protected abortRequested(): void {}

  /** The longest chunk the kernels take at once. @defaultValue no limit */
  protected maxChunkSteps(): number {
    return Number.POSITIVE_INFINITY;
  }

  /** Brings the host state up to date with where the kernels keep it (a device); a no-op when the host state is the working state. */
  protected pullState(): void {}

  /** The host buffers named were (or may be) written: a device copy must be refreshed before the next step. */
  protected stateWritten(_names: readonly StateBufferName[]): void {}

  /** After a restore wrote the host state (restart points, device uploads). */
  protected afterRestore(): void {}

  /** Releases threads, device memory and the backend's own allocations (the shell then releases the state and record). */
  protected releaseKernels(): void | Promise<void> {}

  /** Synapse activations delivered so far. */
  protected synapticEvents(): number {
    return this.events;
  }

  /** Sets the synapse activation count (restore). */
  protected setSynapticEvents(events: number): void {
    this.events = events;
  }

  /** Metrics the backend measures its own way (device memory, device-side guard counters). */
  protected metricsOverrides(): Partial<BackendMetrics> {
    return {};
  }

  // ---- the shared shell ----

  get currentStep(): number {
    return this.step;
  }

  /** Shards that run in parallel (1 unless a backend says otherwise). */
  get shardCount(): number {
    return 1;
  }

  /** Whether dispose() was called (it may still be stopping a run or releasing). */
  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Throws usedAfterDispose (code used-after-dispose, the one message of every backend) once dispose() was called. */
  protected assertAlive(): void {
    if (this.disposed) throw usedAfterDispose(this.name);
  }

  /**
   * Runs `length` (steps, `{ durationMs }` or `{ steps }`: run-length.ts) in chunks. Before each chunk an aborted signal stops
   * the run (the state is consistent at every chunk boundary); after each,
   * the event loop gets a turn, so a signal handler can abort a long run.
   * Chunks end at every `chunkSteps` boundary, where progress is reported,
   * and on a backend that blocks the event loop they take at most about
   * CHUNK_BUDGET_MS of wall time. dispose() during the run stops it as an
   * aborted signal does.
   */
  async run(length: RunLength, options: RunOptions = {}): Promise<RunOutcome> {
    // Checked before runSession, whose overrides may touch the run in
    // flight (the workers end their thread session on the way out): a
    // refused call must leave that run alone.
    validateSteps(stepsOfRunLength(length, this.network.dtMs));
    this.assertAlive();
    if (this.runInFlight) throw new InputError('run', 'another run() of this backend is in progress; await it (or abort its signal) before starting the next');
    const running = this.runSession(length, options);
    this.runInFlight = running;
    try {
      return await running;
    } finally {
      this.runInFlight = null;
    }
  }

  /**
   * The whole of one run(): the chunks. A backend with work around them (a
   * state read-back, a thread session) overrides this and calls
   * super.runSession, so that dispose() waits for that work too.
   */
  protected async runSession(length: RunLength, options: RunOptions): Promise<RunOutcome> {
    // run() has validated the length and checked the backend alive.
    const steps = stepsOfRunLength(length, this.network.dtMs);
    await this.prepareRun();
    const progressEvery = Math.max(1, options.chunkSteps ?? DEFAULT_CHUNK_STEPS);
    const begin = this.step;
    const target = begin + steps;
    let nextProgress = begin + progressEvery;
    // Ctrl-C during a chunk: the backend may end a wait the stop should not sit through (WorkersBackend: a stall).
    const onAbort = () => this.abortRequested();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      while (this.step < target) {
        // dispose() called meanwhile stops the run as Ctrl-C does: at a chunk boundary, interrupted.
        if (options.signal?.aborted || this.disposed) return { stepsRun: this.step - begin, interrupted: true };
        const from = this.step;
        const limit = Math.min(Math.min(target, nextProgress) - from, this.maxChunkSteps());
        const n = this.blocksEventLoop() ? this.pacer.next(limit) : limit;
        const t0 = performance.now();
        await this.advanceSteps(n);
        const ms = performance.now() - t0;
        this.wallMs += ms;
        if (this.step === from + n) this.pacer.observe(n, ms);
        if (this.step >= nextProgress || this.step === target) {
          options.onProgress?.(this.step - begin, steps);
          nextProgress = this.step + progressEvery;
        }
        if (this.step < target) await yieldToEventLoop();
      }
      return { stepsRun: this.step - begin, interrupted: false };
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  buffer(name: StateBufferName): Float32Array | Int32Array | Uint8Array {
    this.assertAlive();
    this.pullState();
    // The caller may write into it: the next run() must see that.
    this.stateWritten([name]);
    return stateBuffer(this.state, name);
  }

  synapses(): Synapses {
    return this.liveSynapses;
  }

  setStepEffects(effects: StepEffects): void {
    this.assertAlive();
    this.effects = effects;
  }

  noiseStreams(): number[] {
    return Array.from(this.state.noiseStreams);
  }

  setNoiseStreams(streams: readonly number[]): void {
    this.assertAlive();
    this.state.noiseStreams.set(validateNoiseStreams(streams, this.batch));
  }

  metrics(): BackendMetrics {
    return {
      steps: this.step,
      simulatedMs: this.step * this.network.dtMs,
      wallMs: this.wallMs,
      spikes: this.recorder.totalSpikes,
      synapticEvents: this.synapticEvents(),
      stateBytes: stateBytes(this.state),
      connectivityBytes: connectivityBytes(this.network),
      ...guardTotals(this.guards),
      ...this.metricsOverrides(),
    };
  }

  checkpoint(): SimulationCheckpoint {
    this.assertAlive();
    this.pullState();
    return captureCheckpoint(this.network, this.state, this.recorder, this.seed, this.step, this.synapticEvents(), this.precision);
  }

  /**
   * Puts a checkpoint's state back and adopts its seed, step and noise-stream
   * map. The record is cut back to the checkpoint's step, and so is a
   * durable recording attached to it (its sink is told the step). All or
   * nothing: the record, the one part that allocates, is rebuilt first.
   * @throws InputError for a checkpoint of another network or batch; AllocationError when the record's memory is refused (the backend is unchanged)
   */
  restore(cp: SimulationCheckpoint): void {
    this.assertAlive();
    checkCompatible(cp, this.network, this.state, this.precision);
    // Host mirrors first: state the checkpoint does not hold (the fault table) must not be overwritten by a later download.
    this.pullState();
    this.recorder.restore(cp.spikes, cp.counts, cp.countFromStep, cp.step);
    applyCheckpointState(cp, this.state);
    this.stateWritten(DYNAMIC_STATE_KEYS);
    this.seed = cp.seed;
    this.step = cp.step;
    this.setSynapticEvents(cp.synapticEvents);
    this.afterRestore();
  }

  /**
   * Releases threads and memory. During a run() it first stops the run as an
   * aborted signal does (the run resolves interrupted at the end of the
   * chunk in progress; a worker-stall is ended) and waits for it, so no
   * chunk runs on freed memory or a destroyed thread pool.
   */
  async dispose(): Promise<void> {
    // A second call during the first waits for the same release: it must not resolve while threads still run.
    this.disposing ??= this.release();
    return this.disposing;
  }

  private async release(): Promise<void> {
    this.disposed = true;
    const running = this.runInFlight;
    if (running) {
      this.abortRequested();
      await running.catch(() => undefined);
    }
    try {
      await this.releaseKernels();
    } finally {
      releaseState(this.state, this.allocator);
      this.recorder.returnMemory();
    }
  }
}
