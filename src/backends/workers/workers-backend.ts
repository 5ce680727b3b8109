import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { copyArray, isLent } from '../../model/lent-network.js';
import { markRegrouped } from '../../model/regrouped-connectivity.js';
import type { Network, Synapses } from '../../model/network.js';
import type { SpikeRecorder } from '../../record/spike-recorder.js';
import { DEFAULT_CHECKPOINT_EVERY_STEPS, DEFAULT_CHUNK_STEPS, defaultWorkerCount, MAX_WORKERS } from '../../config/settings.js';
import { check, InputError, UnsupportedError } from '../../util/errors.js';
import { allocArray } from '../../util/shared-arrays.js';
import type { RunOptions, RunOutcome, SimulationOptions, StepEffects } from '../backend.js';
import { BackendShell } from '../backend-shell.js';
import { planKernels } from '../kernel-plan.js';
import { PRECISIONS, resolvePrecision } from '../precision.js';
import { applyDynamicState, DYNAMIC_STATE_KEYS, type DynamicState } from '../simulation-state.js';
import { AllocationError } from '../../memory/allocator.js';
import { allocateWithRetry } from '../../memory/allocate-with-retry.js';
import { abortBarrier, controlLength, resetBarrier } from './barrier.js';
import { partitionNeurons, piecesInOrder, shardSize } from './partition.js';
import type { ChunkResult, ChunkTask, Shard, ShardSpikeLog, WorkerSharedData } from './protocol.js';
import type { BackendCapabilities, CapabilityName } from '../capabilities.js';
import { ShardSupervisor } from './shard-supervisor.js';
import { ChunkSession, CMD_LENGTH, CMDF_LENGTH, waitAsync, type ChunkFailure } from './chunk-session.js';
import type { RunLength } from '../run-length.js';
import { fillRowSlices } from './row-slices.js';
import { DELIVERY_ORDERS, longestSlice, regroupScratch, repairRegrouping, type DeliveryOrder } from './delay-order.js';
import { bindSharedState, createSharedWasmMemory } from './shard-wasm.js';
import { WASM_SYNAPSES_MAX_BYTES } from '../cpu/wasm-kernels.js';
import type { DeviceReservation } from '../../memory/allocator.js';

/** Wall ms one worker thread spent in each kind of work (WorkersBackend.threadTimes). */
export interface ThreadTimes {
  integrateMs: number;
  deliverMs: number;
  waitMs: number;
}

export interface WorkersOptions extends SimulationOptions {
  /** Worker threads, one shard each. @defaultValue the number of cores */
  workers?: number;
  /**
   * Delivery into the delay rings as wasm over a copy of the synapses in the shared wasm memory (up to
   * WASM_SYNAPSES_MAX_BYTES of connectivity), instead of JavaScript over the network's synapses. Same spikes either
   * way. Off by default: at microcircuit scale 0.1 it measured no faster (JavaScript / wasm wall time 0.95, median
   * of 5 interleaved pairs, docs/performance.md) and costs the copy (+256 MiB peak RSS).
   * @defaultValue NEUROCHAOS_WASM_DELIVERY=1 in the environment
   */
  wasmDelivery?: boolean;
  /**
   * The order of each shard's synapses in the live connectivity. `target` (the network's order: each row sorted by
   * target) or `delay`: each shard regroups a source's row slices by delay, stably, the first time it delivers one
   * of its spikes (delay-order.ts). Same spikes bit for bit; the delay rings are then written as streams, which
   * pays where they outgrow the caches (microcircuit, 2 workers, 1 s: 1.18x faster at scale 0.5, 1.14x at 1.0,
   * slower at 0.1 and 0.2; DELAY_ORDER_MIN_RING_BYTES, docs/performance.md "Delivery order"). With `delay`,
   * synapse k is no longer the network's synapse k: `synapses()` throws and partitions are refused, so weight
   * faults (ChaosController), partitions and the weight scrubber cannot run; and where the backend uses the
   * network's connectivity directly (a network built in SharedArrayBuffers and not lent, buildNetwork's default)
   * the network's rows are reordered in place: give it only a network nothing else will address by synapse index.
   * `simulate()` asks for it for large networks, as it builds its network and injects no fault.
   * @defaultValue 'target'
   * @throws InputError naming `deliveryOrder` for any other value, or for `delay` with a scrubber
   */
  deliveryOrder?: DeliveryOrder;
  /** In-memory checkpoint interval used to recover from a lost worker. @defaultValue DEFAULT_CHECKPOINT_EVERY_STEPS (src/config/settings.ts) */
  checkpointEverySteps?: number;
  /** Give up after this many failed attempts at the same chunk. @defaultValue 5 */
  maxRetries?: number;
}

/** What the supervisor tells: a worker was lost, the state was restored, lost steps were recomputed. */
export interface WorkersEvents {
  'worker-lost': [{ shard: number; step: number; error: string }];
  restored: [{ toStep: number; fromStep: number }];
  replayed: [{ fromStep: number; toStep: number; steps: number; wallMs: number }];
}

const SPIKE_LOG_BUDGET = 4 * 1024 * 1024; // int32 ids per shard log, bounds the chunk length
/** The longest chunk: 100 ms of simulated time at dt 0.1 ms (a few ms of wall for CUBA, a little more than 100 ms for the microcircuit at 0.1). */
const MAX_CHUNK_STEPS = 1000;
/** The longest chunk while an injected failure is pending (maxChunkSteps). */
const FAILURE_CHUNK_STEPS = 200;

/**
 * The worker-thread engine (`--backend workers`): neurons split into
 * contiguous shards, one per piscina worker; connectivity and state in
 * SharedArrayBuffers that every worker maps; spikes exchanged through shared
 * logs once per min-delay interval, inside a chunk of steps, with no
 * round trip to the main thread. Spike for spike identical to the reference.
 *
 * Supervision: a chunk whose worker throws, exits or is terminated is
 * abandoned; every shard is restored from the last in-memory checkpoint (the
 * survivors may have run ahead), the record is cut back to it, and the lost
 * steps are recomputed. Events report each stage.
 */
export class WorkersBackend extends BackendShell<WorkersEvents> {
  readonly name = 'workers';
  readonly workers: number;
  readonly shards: Shard[];
  private readonly shared: WorkerSharedData;
  private readonly pool: Piscina<ChunkTask, ChunkResult>;
  /** Steps one chunk may hold: the shards' spike logs are sized for it. */
  private readonly logChunkSteps: number;
  private readonly checkpointEvery: number;
  private readonly maxRetries: number;
  private readonly merged: Int32Array;
  /** Per population, the shards in the order of their pieces (partition.ts piecesInOrder). */
  private readonly logOrder: Int32Array[];
  /** Where the supervisor restarts from: a state copy and a mark in the record (the record is cut back, not copied). */
  private memoryCheckpoint: MemoryCheckpoint | null = null;
  /** The shard-supervision capability: injected failures, stalls, thread kills (the chaos layer's hooks). */
  private readonly supervisor: ShardSupervisor;
  /** Failed attempts at the current chunk, in a row. */
  private retries = 0;
  /** Where the last failed chunk ended: replayed chunks before it do not count as getting past the failure. */
  private failedChunkEnd = 0;
  private restarts = 0;
  /** The shared wasm memory's charges on the allocator (empty: the JavaScript kernels run). */
  private wasmReservations: DeviceReservation[] = [];
  /** Whether the row slices are views of the shared wasm memory (charged with it) rather than allocations of their own. */
  private readonly slicesInWasm: boolean;
  /** The order of the live synapses (WorkersOptions.deliveryOrder). */
  readonly deliveryOrder: DeliveryOrder;
  /** The chunk session running (chunk-session.ts), if any. */
  private session: ChunkSession | null = null;
  /** Set when a shard thread dies outside any task (onThreadError): the backend cannot run after it. */
  private threadFailure: Error | null = null;
  private threadFailed!: () => void;
  /** Resolves once threadFailure is set (tasks of the injected-failure path race it). */
  private readonly whenThreadFailed = new Promise<void>((resolve) => (this.threadFailed = resolve));

  constructor(network: Network, options: WorkersOptions = {}) {
    const workers = options.workers ?? defaultWorkerCount();
    check(Number.isInteger(workers) && workers >= 1 && workers <= MAX_WORKERS, 'workers', () => `must be an integer in [1, ${MAX_WORKERS}] (got ${workers})`);
    const every = options.checkpointEverySteps ?? DEFAULT_CHECKPOINT_EVERY_STEPS;
    check(Number.isInteger(every) && every >= 1, 'checkpointEverySteps', () => `must be an integer >= 1 (got ${every})`);
    const order = options.deliveryOrder ?? 'target';
    check(DELIVERY_ORDERS.includes(order), 'deliveryOrder', () => `must be one of ${DELIVERY_ORDERS.join(', ')} (got ${JSON.stringify(order)})`);
    // The scrubber compares the live weights with a golden copy block by block in the network's order.
    check(order === 'target' || !options.scrub || options.scrub.enabled === false, 'deliveryOrder', () => "must be 'target' with a weight scrubber (delay order moves the synapses the scrubber addresses by index)");
    const shards = partitionNeurons(network, workers);
    // Resolved before the shell (which checks it again): the plan (sent to every shard) and the wasm layout come first.
    const plan = planKernels(network, resolvePrecision(options.precision));
    const batch = options.batch ?? 1;
    const logChunkSteps = logChunkStepsFor(shards, batch);
    // Laid out before the shell, which takes the memory's copy of the synapses (if it holds one) as its live synapses.
    const wasmDelivery = options.wasmDelivery ?? process.env.NEUROCHAOS_WASM_DELIVERY === '1';
    const placed = createSharedWasmMemory(network, batch, plan, shards, shards.map((s) => shardSize(s) * batch * logChunkSteps), wasmDelivery ? WASM_SYNAPSES_MAX_BYTES : -1);
    super(network, options, { sharedState: true, guardShards: shards.length, synapses: placed?.synapses ?? sharedSynapses(network.synapses, isLent(network)), precisions: { backend: 'workers', supported: PRECISIONS } });
    this.checkpointEvery = every;
    this.maxRetries = options.maxRetries ?? 5;
    this.shards = shards;
    this.logOrder = piecesInOrder(shards);
    this.workers = shards.length;
    this.logChunkSteps = logChunkSteps;
    const pops = network.populations.length;
    const logs: ShardSpikeLog[] = [];
    const rowSlices: Uint32Array[] = placed?.rowSlices ?? [];
    this.slicesInWasm = placed?.rowSlices != null;
    if (placed !== null) {
      // The LIF update (and, with the synapses in the memory, delivery) runs as wasm: the hot state moves into the memory.
      const replaced = bindSharedState(placed.layout, this.state);
      if (replaced === null) this.abandon(new Error('workers backend: the state does not have the shape laid out in the shared wasm memory'));
      // The allocator charged the arrays the state copied into the wasm memory: it charges that memory instead
      // (less the connectivity's copy, which, as the network's connectivity, it does not charge).
      for (const a of replaced) this.allocator.release(a);
      const { bytes, synapseBytes, slicesBytes } = placed.layout;
      try {
        this.wasmReservations.push(this.allocator.reserve(bytes - synapseBytes - slicesBytes, 'simulation state'));
        if (slicesBytes > 0) this.wasmReservations.push(this.allocator.reserve(slicesBytes, 'row slices'));
      } catch (e) {
        for (const r of this.wasmReservations) this.allocator.release(r);
        this.abandon(e);
      }
    }
    try {
      for (const [k, s] of this.shards.entries()) {
        logs.push({
          ids: placed ? placed.logs[k] : this.allocator.allocate(Int32Array, shardSize(s) * batch * this.logChunkSteps, true, 'spike log'),
          offsets: this.allocator.allocate(Int32Array, this.logChunkSteps * batch * pops + 1, true, 'spike log'),
        });
        if (this.slicesInWasm) continue;
        const slices = this.allocator.allocate(Uint32Array, network.neuronCount * pops * 2, true, 'row slices');
        rowSlices.push(slices);
        fillRowSlices(super.synapses(), network.neuronCount, s, slices);
      }
    } catch (e) {
      // Nothing half-built stays charged to the allocator.
      for (const log of logs) {
        if (!placed) this.allocator.release(log.ids);
        this.allocator.release(log.offsets);
      }
      if (!this.slicesInWasm) for (const slices of rowSlices) this.allocator.release(slices);
      for (const r of this.wasmReservations) this.allocator.release(r);
      this.abandon(e);
    }
    // The slices' binary searches above needed rows sorted by target; the shards regroup them as sources spike.
    this.deliveryOrder = order;
    // Regrouped in place where the backend runs on the network's own arrays: no other backend may slice them after.
    if (order === 'delay' && super.synapses().targets === network.synapses.targets) markRegrouped(network.synapses);
    const longest = order === 'delay' ? longestSlice(rowSlices) : 0;
    // A scratch per worker thread, twice over: a thread that replaces a lost one claims a free scratch before the lost one's is mended and freed.
    const scratchSlots = 2 * this.shards.length;
    const delayOrder = order === 'delay' ? { pending: this.shards.map(() => allocArray(Uint8Array, network.neuronCount, true).fill(1)), scratch: Array.from({ length: scratchSlots }, () => regroupScratch(longest)), owners: allocArray(Int32Array, scratchSlots, true) } : null;
    this.shared = {
      maxDelaySteps: network.maxDelaySteps,
      minDelaySteps: network.minDelaySteps,
      maxChunkSteps: this.logChunkSteps,
      spinIterations: this.workers <= availableParallelism() ? 50_000 : 200,
      synapses: super.synapses(),
      state: this.state,
      plan,
      wasm: placed ? placed.layout : null,
      guards: this.guards,
      shards: this.shards,
      logs,
      rowSlices,
      delayOrder,
      control: allocArray(Int32Array, controlLength(this.workers), true),
      command: allocArray(Int32Array, CMD_LENGTH, true),
      commandF64: allocArray(Float64Array, CMDF_LENGTH, true),
      events: allocArray(Float64Array, this.workers, true),
      barrierWaitMs: allocArray(Float64Array, this.workers, true),
      taskMs: allocArray(Float64Array, 2 * this.workers, true),
      shardThread: allocArray(Int32Array, this.workers, true),
      stalled: allocArray(Int32Array, this.workers, true),
      stallsServed: allocArray(Int32Array, this.workers, true),
      stallRelease: allocArray(Int32Array, 1, true),
      threadsReady: allocArray(Int32Array, 1, true),
    };
    resetBarrier(this.shared.control, this.workers);
    this.merged = new Int32Array(network.neuronCount);
    this.pool = new Piscina<ChunkTask, ChunkResult>({
      filename: new URL('./shard-worker.js', import.meta.url).href,
      minThreads: this.workers,
      maxThreads: this.workers,
      idleTimeout: 2 ** 31 - 1,
      workerData: this.shared,
    });
    this.pool.on('error', (e: unknown) => this.onThreadError(e));
    this.supervisor = new ShardSupervisor(this, this.shared, this.pool);
  }

  /**
   * Piscina emits 'error' for a thread that dies with no task of ours: one
   * that fails while loading (a broken or partial build, a wasm module this
   * runtime cannot compile, a thread refused its memory), or one that
   * crashes while idle. Without a listener Node threw it from the event loop
   * and ended the process; and piscina goes on starting threads that fail
   * alike, so a run would wait for them for ever. Now the backend fails
   * instead: a pending or later threadsReady() and run() reject with this
   * error, and a run in flight ends with it at once (nothing retried: a
   * restart would fail the same way). Only dispose() is left to do.
   */
  private onThreadError(e: unknown): void {
    if (this.threadFailure) return;
    const cause = e instanceof Error ? e.message : String(e);
    this.threadFailure = new Error(`workers backend: a shard thread died outside a chunk (it failed to start, or crashed while idle): ${cause}`, { cause: e });
    this.threadFailed();
    this.session?.abandon(this.threadFailure);
    Atomics.notify(this.shared.threadsReady, 0);
  }

  /**
   * The error a shard thread that died outside any task left (see
   * onThreadError), or null: once set, every threadsReady() and run()
   * rejects with it.
   */
  get threadError(): Error | null {
    return this.threadFailure;
  }

  /** Optional capabilities (capabilities.ts): the shard layout, and supervision of the shards' threads. */
  capability<K extends CapabilityName>(name: K): BackendCapabilities[K] | null {
    return name === 'shard-layout' || name === 'shard-supervision' ? (this.supervisor as BackendCapabilities[K]) : null;
  }

  /**
   * The live connectivity (weight faults and the scrubber write here).
   * @throws UnsupportedError naming `deliveryOrder` when it is `delay`: synapse k then is not the network's synapse k, and a write by index would land on another synapse
   */
  override synapses(): Synapses {
    if (this.deliveryOrder === 'delay') {
      throw new UnsupportedError('deliveryOrder', 'workers', "live synapses by index (weight faults, scrubbing) with deliveryOrder 'delay'", "the synapses are regrouped by delay, so synapse k is not the network's synapse k; use deliveryOrder 'target' (the default)");
    }
    return super.synapses();
  }

  /**
   * @throws UnsupportedError naming `deliveryOrder` for partitions in delay order: partitioned delivery searches rows sorted by target
   */
  override setStepEffects(effects: StepEffects): void {
    if (this.deliveryOrder === 'delay' && effects.partitions.length > 0) {
      throw new UnsupportedError('deliveryOrder', 'workers', "partitions with deliveryOrder 'delay'", "partitioned delivery searches rows sorted by target; use deliveryOrder 'target' (the default)");
    }
    super.setStepEffects(effects);
  }

  /**
   * A session lives within one run: the next run may bring other step effects.
   * Without a chunkSteps of the caller's, progress (and so the chunk) comes
   * every logChunkSteps steps rather than every DEFAULT_CHUNK_STEPS: each
   * chunk costs the main thread a wake-up and a turn of its event loop (about
   * 1-2 ms on the 2-core machine at load 5), which took more than half the
   * wall time of CUBA with 2 workers at 100 steps per chunk. The event loop
   * stays free meanwhile, and a chunk of a small network is a few ms of wall.
   */
  protected override async runSession(length: RunLength, options: RunOptions = {}): Promise<RunOutcome> {
    if (this.threadFailure) throw this.threadFailure;
    try {
      return await super.runSession(length, options.chunkSteps === undefined ? { ...options, chunkSteps: Math.max(DEFAULT_CHUNK_STEPS, this.logChunkSteps) } : options);
    } finally {
      await this.endSession();
    }
  }

  private async endSession(): Promise<void> {
    const s = this.session;
    this.session = null;
    if (s) await s.stop();
  }

  /** Faults change the state between runs: restart points must come after them. */
  protected override async prepareRun(): Promise<void> {
    Atomics.store(this.shared.stallRelease, 0, 0);
    await this.endSession();
    this.retries = 0;
    this.failedChunkEnd = 0;
    this.memoryCheckpoint = this.takeMemoryCheckpoint();
  }

  /**
   * The run was interrupted while a chunk may be running: an injected stall
   * (worker-stall, up to minutes) would hold the chunk, and so the stop, until
   * it ran out. Ends every stall now and lets none start for the rest of this
   * run; the chunk then completes and the run stops at its end.
   */
  protected override abortRequested(): void {
    Atomics.store(this.shared.stallRelease, 0, 1);
    for (let k = 0; k < this.workers; k++) this.supervisor.releaseStall(k);
  }

  /** The shards compute on worker threads: the main thread's event loop stays free during a chunk. */
  protected override blocksEventLoop(): boolean {
    return false;
  }

  /**
   * With a scrubber, chunks end at its pass interval so it checks on time.
   * While an injected failure is pending, chunks are at most
   * FAILURE_CHUNK_STEPS long, so it surfaces within that many steps of its
   * step (failures are taken at chunk starts).
   */
  protected override maxChunkSteps(): number {
    return Math.min(this.logChunkSteps, this.scrubber ? this.scrubber.everySteps : Infinity, this.supervisor.hasPending ? FAILURE_CHUNK_STEPS : Infinity);
  }

  /** One attempt at a chunk: on success the record and step move on; on a lost worker the state goes back to the restart point. */
  protected async advanceSteps(n: number): Promise<void> {
    if (this.step - (this.memoryCheckpoint?.step ?? -Infinity) >= this.checkpointEvery) this.memoryCheckpoint = this.takeMemoryCheckpoint();
    const from = this.step;
    const failure = await this.runChunk(from, n);
    // Nothing to retry after a thread that cannot start: a restart would fail alike.
    if (this.threadFailure) throw this.threadFailure;
    if (failure === null) {
      this.recordChunk(from, n);
      this.step = from + n;
      this.scrubber?.tick(this.step);
      if (this.step >= this.failedChunkEnd) this.retries = 0;
      return;
    }
    this.retries++;
    this.failedChunkEnd = Math.max(this.failedChunkEnd, from + n);
    if (this.retries > this.maxRetries) throw new Error(`workers backend: the chunk at step ${from} failed ${this.retries} times in a row; last error: ${failure.error}`);
    this.recover(failure.shard, from, failure.error);
  }

  private async runChunk(fromStep: number, steps: number): Promise<ChunkFailure | null> {
    // At most one injected failure per shard per attempt; the rest wait for the retry.
    const due = this.supervisor.takeDue(fromStep, steps);
    if (due.length === 0) {
      if (this.session && (!this.session.alive || this.session.effects !== this.effects)) await this.endSession();
      if (this.threadFailure) return { shard: -1, error: this.threadFailure.message };
      this.session ??= new ChunkSession(this.pool, this.shared.command, this.shared.commandF64, this.shared.control, this.effects, this.workers);
      const failure = await this.session.runChunk(fromStep, steps, this.seed);
      if (failure) await this.endSession();
      return failure;
    }
    // An injected failure must hit its shard's own thread: one task per shard for this chunk, no work sharing.
    await this.endSession();
    const control = this.shared.control;
    resetBarrier(control, this.workers);
    let firstFailure: { shard: number; error: string } | null = null;
    const tasks = this.shards.map((_, shard) => {
      const failure = due.find((f) => f.shard === shard);
      const task: ChunkTask = { shard, fromStep, steps, seed: this.seed, effects: this.effects, steal: false, failure: failure ? { atStep: failure.atStep, mode: failure.mode, stallMs: failure.stallMs } : undefined };
      return this.pool.run(task).then(
        (r) => {
          if (!r.completed && !firstFailure) firstFailure = { shard, error: 'released by the supervisor' };
          return r;
        },
        (e: unknown) => {
          // The worker threw, exited or was terminated: release the others from the barrier.
          if (!firstFailure || firstFailure.error === 'released by the supervisor') firstFailure = { shard, error: e instanceof Error ? e.message : String(e) };
          abortBarrier(control);
          return null;
        },
      );
    });
    // A task queued for a thread that never starts would never settle (dispose's pool.destroy() rejects it).
    await Promise.race([Promise.all(tasks), this.whenThreadFailed]);
    resetBarrier(control, this.workers);
    return firstFailure;
  }

  /**
   * A restart point. Its state copies are taken from the allocator once and
   * refreshed in place afterwards, so steady running allocates nothing. When
   * the first allocation is refused even after retries, supervision degrades:
   * the run goes on without a restart point (reported), and tries again at
   * the next checkpoint interval.
   */
  private takeMemoryCheckpoint(): MemoryCheckpoint | null {
    // Fault counters (storm events, partitioned activations) are rewound with the state, so recomputed steps are not counted twice.
    const counters = [...this.effects.storms.map((x) => x.events), ...this.effects.partitions.map((x) => x.affected)].map((array) => ({ array, values: array.slice() }));
    const mark = { step: this.step, events: [...this.shared.events], counters, record: this.recorder.mark(this.step) };
    const held = this.memoryCheckpoint;
    if (held) {
      applyDynamicState(this.state, held);
      return Object.assign(held, mark);
    }
    const copies: Partial<DynamicState> = {};
    for (const k of DYNAMIC_STATE_KEYS) {
      const a = this.state[k];
      const ctor = a.constructor as { new (b: ArrayBufferLike, o?: number, l?: number): typeof a; BYTES_PER_ELEMENT: number };
      // Without the degradation defence a refusal ends the run, as it would in a tool that does not expect it.
      let c: typeof a | AllocationError;
      try {
        c = this.degrade ? allocateWithRetry(this.allocator, ctor, a.length, false, 'in-memory checkpoint') : this.allocator.allocate(ctor, a.length, false, 'in-memory checkpoint');
      } catch (e) {
        // A refused copy gives back the copies already made: nothing leaks.
        for (const got of Object.values(copies)) this.allocator.release(got);
        throw e;
      }
      if (c instanceof AllocationError) {
        for (const got of Object.values(copies)) this.allocator.release(got);
        this.allocator.reportDegradation({ component: 'worker supervision', gaveUp: `the restart point at step ${this.step} (a worker lost before the next one stops the run)`, reason: c.message });
        return null;
      }
      (c as Float32Array).set(a as Float32Array);
      (copies as Record<string, Float32Array | Int32Array>)[k] = c;
    }
    return { ...mark, ...(copies as DynamicState) };
  }

  private releaseMemoryCheckpoint(cp: MemoryCheckpoint): void {
    for (const k of DYNAMIC_STATE_KEYS) this.allocator.release(cp[k]);
  }

  private recover(shard: number, step: number, error: string): void {
    const cp = this.memoryCheckpoint;
    if (!cp) throw new Error(`workers backend: shard ${shard} was lost at step ${step} (${error}) and there is no restart point to recover from: the allocator refused its memory (see the 'degraded' events)`);
    this.emit('worker-lost', { shard, step, error });
    const t0 = performance.now();
    // Every thread has stopped: a slice the lost one left half copied back is copied again (the synapses are no restart-point state).
    this.mendRegrouping();
    applyDynamicState(cp, this.state);
    this.recorder.rewind(cp.record);
    this.shared.events.set(cp.events);
    for (const c of cp.counters) c.array.set(c.values);
    this.step = cp.step;
    this.restarts++;
    this.emit('restored', { toStep: cp.step, fromStep: step });
    // The steps from the checkpoint to the failed chunk's start are recomputed by the main loop.
    this.emit('replayed', { fromStep: cp.step, toStep: step, steps: step - cp.step, wallMs: performance.now() - t0 });
  }

  /**
   * Delivery order `delay`, after a worker was lost (no thread runs a task):
   * finishes a copy-back the lost thread cut short, and frees the scratches of
   * threads that are gone. The threads alive finish every sort they start
   * (they stop between tasks), so only a lost thread's journal can be open.
   */
  private mendRegrouping(): void {
    const d = this.shared.delayOrder;
    if (d === null) return;
    const alive = new Set(this.pool.threads.map((w) => w.threadId));
    d.scratch.forEach((scratch, i) => {
      repairRegrouping(super.synapses(), scratch);
      const owner = Atomics.load(d.owners, i);
      if (owner !== 0 && !alive.has(owner)) Atomics.store(d.owners, i, 0);
    });
  }

  /** Merges the shards' logs into the recorder: population by population, shard by shard in the order of their pieces, which is ascending neuron order. */
  private recordChunk(fromStep: number, steps: number): void {
    const logs = this.shared.logs;
    const pops = this.network.populations.length;
    const order = this.logOrder;
    for (let t = 0; t < steps; t++) {
      for (let b = 0; b < this.batch; b++) {
        let count = 0;
        const base = (t * this.batch + b) * pops;
        for (let p = 0; p < pops; p++) {
          for (const j of order[p]) {
            const log = logs[j];
            const from = log.offsets[base + p];
            const to = log.offsets[base + p + 1];
            for (let k = from; k < to; k++) this.merged[count++] = log.ids[k];
          }
        }
        this.recorder.record(fromStep + t, b, this.merged, count);
      }
    }
  }

  override get shardCount(): number {
    return this.workers;
  }

  protected override synapticEvents(): number {
    let e = 0;
    for (const x of this.shared.events) e += x;
    return e;
  }

  protected override setSynapticEvents(events: number): void {
    this.shared.events.fill(0);
    this.shared.events[0] = events;
  }

  /**
   * Resolves once every worker thread has started: loaded the shard worker,
   * compiled and warmed its kernels (piscina starts the threads when the
   * backend is made, and they start in the background). true when they all
   * did within `timeoutMs`; false when not, or when the backend is disposed
   * meanwhile (a run then waits for them as it would have anyway). Used by
   * simulate() so that the threads' start counts to its setup, not to the
   * loop's wall time.
   * @param timeoutMs how long to wait (ms), finite and >= 0
   * @throws InputError naming `timeoutMs` when it is negative, NaN or infinite
   * @throws Error (threadError) as soon as a thread fails to start: no waiting out the timeout
   */
  async threadsReady(timeoutMs = 60_000): Promise<boolean> {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new InputError('timeoutMs', `must be a finite number of ms >= 0; got ${timeoutMs}`);
    const word = this.shared.threadsReady;
    const until = performance.now() + timeoutMs;
    // Atomics.waitAsync does not keep Node's event loop alive: a ref'd timer
    // does, so the promise settles (true or false) even when nothing else is
    // pending. An interval, not one timeout of timeoutMs: setTimeout takes at
    // most 2^31-1 ms and fires at once (with a warning) beyond.
    const keepAlive = setInterval(() => Atomics.notify(word, 0), 1000);
    try {
      for (;;) {
        if (this.threadFailure) throw this.threadFailure;
        if (this.isDisposed) return false;
        const ready = Atomics.load(word, 0);
        if (ready >= this.workers) return true;
        const left = until - performance.now();
        if (left <= 0) return false;
        const w = waitAsync(word, 0, ready, left);
        if (w.async) await w.value;
      }
    } finally {
      clearInterval(keepAlive);
    }
  }

  /** Wall ms each shard has spent waiting for the others at interval barriers. */
  barrierWaitMs(): number[] {
    return [...this.shared.barrierWaitMs];
  }

  /**
   * Where each worker thread's time went since creation, one entry per
   * thread (slot), wall ms: `integrateMs` in integrate tasks (Poisson drive
   * and LIF update; an injected stall counts here), `deliverMs` in deliver
   * tasks (spikes into the delay rings; regrouping in delay order included),
   * `waitMs` waiting for other threads, for the next chunk and so for the
   * main thread's work between chunks (recording, faults, checkpoints). What
   * is left of a run's wall time is claiming and signalling tasks.
   */
  threadTimes(): ThreadTimes[] {
    const t = this.shared.taskMs;
    return [...this.shared.barrierWaitMs].map((waitMs, k) => ({ integrateMs: t[2 * k], deliverMs: t[2 * k + 1], waitMs }));
  }

  /** Chunks restarted after a lost worker, since creation. */
  get restartCount(): number {
    return this.restarts;
  }

  /** A restart point at the restored state (the old one belongs to a state that is gone). */
  protected override afterRestore(): void {
    this.memoryCheckpoint = this.takeMemoryCheckpoint();
  }

  protected override async releaseKernels(): Promise<void> {
    Atomics.notify(this.shared.threadsReady, 0); // a pending threadsReady() wakes, sees the backend disposed and returns false
    await this.endSession();
    abortBarrier(this.shared.control);
    await this.pool.destroy();
    if (this.memoryCheckpoint) this.releaseMemoryCheckpoint(this.memoryCheckpoint);
    for (const log of this.shared.logs) {
      if (!this.shared.wasm) this.allocator.release(log.ids);
      this.allocator.release(log.offsets);
    }
    for (const r of this.wasmReservations) this.allocator.release(r);
    this.wasmReservations = [];
    if (!this.slicesInWasm) for (const slices of this.shared.rowSlices) this.allocator.release(slices);
  }
}

interface MemoryCheckpoint extends DynamicState {
  step: number;
  events: number[];
  counters: { array: Float64Array; values: Float64Array }[];
  record: ReturnType<SpikeRecorder['mark']>;
}

/** Steps one chunk may hold: the shards' spike logs are sized for it (SPIKE_LOG_BUDGET ids for the widest shard), at most MAX_CHUNK_STEPS. */
function logChunkStepsFor(shards: Shard[], batch: number): number {
  const widest = Math.max(...shards.map(shardSize));
  return Math.max(1, Math.min(MAX_CHUNK_STEPS, Math.floor(SPIKE_LOG_BUDGET / (widest * batch))));
}

/**
 * The connectivity in SharedArrayBuffers of this backend's own where it must
 * be: copied once if the network was built without them, or if it is lent
 * (model/lent-network.ts: weight faults and the scrubber write here).
 */
function sharedSynapses(s: Synapses, lent: boolean): Synapses {
  const share = <T extends Uint32Array | Float32Array | Uint8Array>(a: T): T => (a.buffer instanceof SharedArrayBuffer && !lent ? a : copyArray(a, true));
  return { rowPtr: share(s.rowPtr), targets: share(s.targets), weightsPa: share(s.weightsPa), delaySteps: share(s.delaySteps) };
}
