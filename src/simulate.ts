import type { RunOptions } from './backends/backend.js';
import { readCheckpointFile, writeVerifiedCheckpoint } from './backends/checkpoint-file.js';
import type { SimulationCheckpoint } from './backends/checkpoint.js';
import { createBackend, prepareBackend, type BackendChoice } from './backends/create-backend.js';
import { DELAY_ORDER_MIN_RING_BYTES, DELIVERY_ORDERS, ringBytes, type DeliveryOrder } from './backends/workers/delay-order.js';
import { WorkersBackend, type ThreadTimes } from './backends/workers/workers-backend.js';
import { capabilityOf, type ShardSupervisionEvents } from './backends/capabilities.js';
import { buildNetworkAsync, DEFAULT_DT_MS } from './model/builder.js';
import { connectivityBytes } from './model/network.js';
import { resolveModel, type ModelChoice } from './model/resolve-model.js';
import { existsSync } from 'node:fs';
import { check, InputError } from './util/errors.js';
import { resolvePrecision, type Precision } from './backends/precision.js';
import { DurableSpikeWriter } from './record/durable-spike-writer.js';
import type { FsyncPolicy } from './record/durable-recording-options.js';
import { validateRecording } from './record/read-recording.js';
import { checkMultipleOfDt, exactSteps, roundedSteps } from './util/time-steps.js';

export type SupervisionEvent = { [K in keyof ShardSupervisionEvents]: { kind: K } & ShardSupervisionEvents[K][0] }[keyof ShardSupervisionEvents];

export interface SimulateOptions extends ModelChoice, BackendChoice {
  /** Simulated time to run (after the restored checkpoint, if any). @defaultValue 1000 */
  durationMs?: number;
  /** @defaultValue 0.1 */
  dtMs?: number;
  /** Seed of construction and of per-step randomness. @defaultValue 1, or the checkpoint's */
  seed?: number;
  /** Start from this checkpoint file (the same model, scale, seed and dt must be given). */
  restoreFrom?: string;
  /** Write a checkpoint of the final state to this file (atomically). */
  saveCheckpoint?: string;
  /** With saveCheckpoint: also write it every this many simulated ms (each write atomic and read back to verify it). */
  checkpointIntervalMs?: number;
  /** Record every spike durably into this file; with restoreFrom, an existing recording is resumed at the checkpoint. */
  recordFile?: string;
  /** Fsync policy of the recording. @defaultValue 'interval' */
  recordFsync?: FsyncPolicy;
  signal?: AbortSignal;
  onProgress?: RunOptions['onProgress'];
  /** Told when building starts, and when the run starts. */
  onPhase?: (phase: 'build' | 'run', detail: { neurons?: number; synapses?: number }) => void;
  /** Supervision events of the workers backend: a worker lost, state restored, steps replayed. */
  onSupervision?: (event: SupervisionEvent) => void;
}

export interface SimulateResult {
  model: string;
  neurons: number;
  synapses: number;
  backend: string;
  /** Why this backend: for tfjs, the flavour and why; for auto, what it picked and why. */
  selection?: string;
  /** Device memory of a tfjs run (flavour, bytes held by the simulation). */
  device?: { flavour: string; bytes: number; engineBytes: number; engineTensors: number };
  workers: number;
  batch: number;
  /** The LIF update's arithmetic (SimulationOptions.precision). */
  precision: Precision;
  seed: number;
  dtMs: number;
  /** Simulated time run by this call (less than asked for when interrupted). */
  durationMs: number;
  /** Simulated time at the start (non-zero after a restore) and at the end. */
  startMs: number;
  endMs: number;
  /** Wall time of the network build (ms). */
  buildMs: number;
  /** Wall time of the backend's construction (ms): its state, shards and worker threads, until every thread has started (WorkersBackend.threadsReady; delay order regroups synapses later, in the run). */
  setupMs: number;
  /** workers: the order of its live synapses (WorkersOptions.deliveryOrder; simulate() asks for 'delay' where ringBytes reaches DELAY_ORDER_MIN_RING_BYTES, unless scrubbing or told otherwise). */
  deliveryOrder?: DeliveryOrder;
  /**
   * workers: where each worker thread's wall time went during this call
   * (WorkersBackend.threadTimes): integrate tasks (injected stalls
   * included), deliver tasks, and waits for other threads or the next chunk
   * (the main thread's work between chunks falls in the waits); the rest of
   * wallMs is claiming and signalling tasks. A profile
   * for the performance docs, never part of a verdict.
   */
  threadTimes?: ThreadTimes[];
  /** Wall time of the simulation loop. */
  wallMs: number;
  /** Real-time factor: wallMs / durationMs. */
  rtf: number;
  /** Spikes and synaptic events since time 0 (a restored run includes the checkpoint's). */
  spikes: number;
  synapticEvents: number;
  /** Mean rate per population (Hz) from the warm-up to the end, averaged over replicas. */
  ratesHz: Record<string, number>;
  spikeHash: string;
  peakRssBytes: number;
  connectivityBytes: number;
  bytesPerSynapse: number;
  stateBytes: number;
  /** Worker losses the supervisor recovered from. */
  workerRestarts: number;
  checkpointFile?: string;
  /** Periodic checkpoints written (and verified). */
  checkpointsWritten: number;
  /** The durable recording, read back and checked after the run. */
  recording?: { file: string; resumed: boolean; blocks: number; spikes: number; spikesLost: number; writeErrors: number; valid: boolean; gaps: number };
  interrupted: boolean;
  /** gpujs backend: the gpu.js mode that ran, and every mode tried with why it was (not) used. */
  gpujs?: { mode: string | null; probes: readonly { mode: string; usable: boolean; reason: string }[] };
}

/**
 * Builds a model, runs it on a backend and summarises the run: what `neurochaos simulate` prints.
 * An aborted `signal` during the run stops it at the next chunk (`interrupted: true`, what ran is summarised).
 * @throws InputError naming the option for bad input
 * @throws InterruptedError (phase `build`) when `signal` is aborted while the network is built: nothing ran
 */
export async function simulate(options: SimulateOptions = {}): Promise<SimulateResult> {
  const durationMs = options.durationMs ?? 1000;
  const dtMs = options.dtMs ?? DEFAULT_DT_MS;
  check(Number.isFinite(durationMs) && durationMs > 0 && durationMs <= 1e7, 'durationMs', () => `must be a number in (0, 10000000] ms (got ${durationMs})`);
  const warmupMs = options.warmupMs ?? 0;
  // Checked before the network is built: a bad value costs nothing.
  const precision = resolvePrecision(options.precision);
  const spec = resolveModel(options);

  const interval = options.checkpointIntervalMs;
  check(interval === undefined || (Number.isFinite(interval) && interval > 0 && interval <= 1e7), 'checkpointIntervalMs', () => `must be a number in (0, 10000000] ms (got ${interval})`);
  check(interval === undefined || options.saveCheckpoint !== undefined, 'checkpointIntervalMs', () => 'needs saveCheckpoint: the file the periodic checkpoints go to');
  // Times the user wrote must lie on the dt grid (src/util/time-steps.ts); an invalid dt is left to the builder, which names it.
  const onGrid = Number.isFinite(dtMs) && dtMs > 0;
  const steps = onGrid ? exactSteps(durationMs, dtMs, 'durationMs') : 0;
  if (onGrid) checkMultipleOfDt(warmupMs, dtMs, 'warmupMs');
  const intervalSteps = onGrid && interval !== undefined ? exactSteps(interval, dtMs, 'checkpointIntervalMs') : undefined;
  let restored: SimulationCheckpoint | undefined;
  let seed = options.seed ?? 1;
  let batch = options.batch;
  if (options.restoreFrom !== undefined) {
    restored = readCheckpointFile(options.restoreFrom, 'restoreFrom');
    if (options.seed !== undefined && options.seed !== restored.network.buildSeed) {
      throw new InputError('seed', `is ${options.seed} but the checkpoint was built with seed ${restored.network.buildSeed}`);
    }
    if (options.batch !== undefined && options.batch !== restored.batch) throw new InputError('batch', `is ${options.batch} but the checkpoint holds batch ${restored.batch}`);
    seed = restored.network.buildSeed;
    batch = restored.batch;
  } else {
    check(Number.isFinite(warmupMs) && warmupMs >= 0 && warmupMs < durationMs, 'warmupMs', () => `must be a number in [0, durationMs) (got ${warmupMs})`);
  }

  const order = options.deliveryOrder;
  check(order === undefined || DELIVERY_ORDERS.includes(order), 'deliveryOrder', () => `must be one of ${DELIVERY_ORDERS.join(', ')} (got ${JSON.stringify(order)})`);
  const named = options.backend;
  check(order === undefined || named === undefined || named === 'workers' || named === 'auto', 'deliveryOrder', () => `applies to the workers backend only (the backend is ${named})`);
  options.onPhase?.('build', {});
  const t0 = performance.now();
  // Built with turns of the event loop: Ctrl-C during a long build (seconds at full scale) stops it there (InterruptedError).
  const network = await buildNetworkAsync(spec, { seed, dtMs, signal: options.signal });
  const buildMs = performance.now() - t0;
  const prepared = await prepareBackend({ ...options, seed: restored?.seed ?? seed, batch });
  // The network is this call's own and no fault reaches it: where the rings outgrow the caches, the workers may
  // regroup its synapses by delay (same spikes, faster delivery; delay-order.ts).
  const scrubbing = prepared.scrub !== undefined && prepared.scrub.enabled !== false;
  // Asked for on another backend, it would be ignored: refused instead.
  if (prepared.deliveryOrder !== undefined && prepared.backend !== 'workers') throw new InputError('deliveryOrder', `applies to the workers backend only (the backend is ${prepared.backend})`);
  const regroup = prepared.backend === 'workers' && prepared.deliveryOrder === undefined && !scrubbing && ringBytes(network, batch ?? 1) >= DELAY_ORDER_MIN_RING_BYTES;
  const s0 = performance.now();
  const created = createBackend(network, regroup ? { ...prepared, deliveryOrder: 'delay' } : prepared);
  // The worker threads start in the background; waited for here so that their start (module loading, kernels
  // compiled and warmed: about 0.1-0.2 s with 2 workers, more with more) counts to the setup, not to the simulation loop's wall time and RTF.
  if (created.backend instanceof WorkersBackend) {
    // A thread that cannot start fails here, at once: the pool is destroyed, so no thread is left retrying.
    await created.backend.threadsReady().catch(async (e: unknown) => {
      await created.backend.dispose();
      throw e;
    });
  }
  const setupMs = performance.now() - s0;
  const { backend, workers, selection } = created;
  let restarts = 0;
  const supervision = capabilityOf(backend, 'shard-supervision');
  if (supervision) {
    supervision.onSupervision('worker-lost', (e) => {
      restarts++;
      options.onSupervision?.({ kind: 'worker-lost', ...e });
    });
    supervision.onSupervision('restored', (e) => options.onSupervision?.({ kind: 'restored', ...e }));
    supervision.onSupervision('replayed', (e) => options.onSupervision?.({ kind: 'replayed', ...e }));
  }
  try {
    if (restored) backend.restore(restored);
    const startStep = backend.currentStep;
    const timesBefore = backend instanceof WorkersBackend ? backend.threadTimes() : null;
    options.onPhase?.('run', { neurons: network.neuronCount, synapses: network.synapseCount });
    const resumed = restored !== undefined && options.recordFile !== undefined && existsSync(options.recordFile);
    const recordOptions = options.recordFile === undefined ? null : { path: options.recordFile, fsync: options.recordFsync };
    const writer = recordOptions === null ? null : resumed ? DurableSpikeWriter.resume(recordOptions, backend.recorder, backend.currentStep) : DurableSpikeWriter.create(recordOptions, network, backend.batch, backend.seed, backend.currentStep);
    writer?.attach(backend.recorder);
    let checkpointsWritten = 0;
    const everySteps = intervalSteps !== undefined && options.saveCheckpoint !== undefined ? intervalSteps : steps;
    // Slices of at most 100 ms keep the recording moving to disk during long runs.
    const slice = Math.min(everySteps, writer ? Math.max(1, roundedSteps(100, dtMs, 'recording slice', { minSteps: 0 })) : steps);
    let done = 0;
    let interrupted = false;
    while (done < steps && !interrupted) {
      const n = Math.min(slice, steps - done);
      const before = done;
      const o = await backend.run(n, { signal: options.signal, onProgress: (d) => options.onProgress?.(before + d, steps) });
      done += o.stepsRun;
      interrupted = o.interrupted;
      writer?.advance(backend.currentStep);
      if (!interrupted && everySteps < steps && done % everySteps === 0 && done < steps) {
        writeVerifiedCheckpoint(options.saveCheckpoint as string, backend.checkpoint());
        checkpointsWritten++;
      }
    }
    const outcome = { stepsRun: done, interrupted };
    let recording: SimulateResult['recording'];
    if (writer) {
      const stats = writer.close(backend.currentStep);
      backend.recorder.sink = null;
      const v = validateRecording(writer.path);
      recording = { file: writer.path, resumed, blocks: v.blocks, spikes: v.spikes, spikesLost: stats.spikesLost, writeErrors: stats.writeErrors, valid: v.ok, gaps: v.gaps.length };
    }
    const m = backend.metrics();
    const simulatedMs = outcome.stepsRun * dtMs;
    const endMs = backend.currentStep * dtMs;
    const countFromMs = backend.recorder.countFromStep * dtMs;
    if (options.saveCheckpoint !== undefined) {
      writeVerifiedCheckpoint(options.saveCheckpoint, backend.checkpoint());
      checkpointsWritten++;
    }
    const conn = connectivityBytes(network);
    return {
      model: network.name,
      neurons: network.neuronCount,
      synapses: network.synapseCount,
      backend: backend.name,
      selection: prepared.selection ?? selection,
      device: m.device,
      workers,
      batch: backend.batch,
      precision,
      seed: backend.seed,
      dtMs,
      durationMs: simulatedMs,
      startMs: startStep * dtMs,
      endMs,
      buildMs,
      setupMs,
      ...(backend instanceof WorkersBackend ? { deliveryOrder: backend.deliveryOrder, threadTimes: timesSince(timesBefore ?? [], backend.threadTimes()) } : {}),
      wallMs: m.wallMs,
      rtf: simulatedMs > 0 ? m.wallMs / simulatedMs : 0,
      spikes: m.spikes,
      synapticEvents: m.synapticEvents,
      ratesHz: backend.recorder.populationRatesHz(network, Math.max(0, endMs - countFromMs)),
      spikeHash: backend.recorder.spikeHash(),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      connectivityBytes: conn,
      bytesPerSynapse: network.synapseCount > 0 ? conn / network.synapseCount : 0,
      stateBytes: m.stateBytes,
      workerRestarts: restarts,
      checkpointFile: options.saveCheckpoint,
      checkpointsWritten,
      recording,
      ...created.details?.(),
      interrupted: outcome.stepsRun < steps,
    };
  } finally {
    await backend.dispose();
  }
}

/** Per thread, the times of `after` less those of `before` (a thread missing from `before` counts from zero). */
function timesSince(before: ThreadTimes[], after: ThreadTimes[]): ThreadTimes[] {
  return after.map((a, k) => {
    const b = before[k] ?? { integrateMs: 0, deliverMs: 0, waitMs: 0 };
    return { integrateMs: a.integrateMs - b.integrateMs, deliverMs: a.deliverMs - b.deliverMs, waitMs: a.waitMs - b.waitMs };
  });
}
