import type { RunOptions } from './backends/backend.js';
import { readCheckpointFile, writeCheckpointFile } from './backends/checkpoint-file.js';
import type { SimulationCheckpoint } from './backends/checkpoint.js';
import { createBackend, type BackendChoice } from './backends/create-backend.js';
import { WorkersBackend, type WorkersEvents } from './backends/workers/workers-backend.js';
import { GpujsBackend } from './backends/gpujs/gpujs-backend.js';
import { buildNetwork, DEFAULT_DT_MS } from './model/builder.js';
import { connectivityBytes } from './model/network.js';
import { resolveModel, type ModelChoice } from './model/resolve-model.js';
import { check, InputError } from './util/errors.js';

export type SupervisionEvent = { [K in keyof WorkersEvents]: { kind: K } & WorkersEvents[K][0] }[keyof WorkersEvents];

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
  workers: number;
  batch: number;
  seed: number;
  dtMs: number;
  /** Simulated time run by this call (less than asked for when interrupted). */
  durationMs: number;
  /** Simulated time at the start (non-zero after a restore) and at the end. */
  startMs: number;
  endMs: number;
  buildMs: number;
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
  interrupted: boolean;
  /** gpujs backend: the gpu.js mode that ran, and every mode tried with why it was (not) used. */
  gpujs?: { mode: string | null; probes: readonly { mode: string; usable: boolean; reason: string }[] };
}

/** Builds a model, runs it on a backend and summarises the run: what `neurochaos simulate` prints. */
export async function simulate(options: SimulateOptions = {}): Promise<SimulateResult> {
  const durationMs = options.durationMs ?? 1000;
  const dtMs = options.dtMs ?? DEFAULT_DT_MS;
  check(Number.isFinite(durationMs) && durationMs > 0 && durationMs <= 1e7, 'durationMs', () => `must be a number in (0, 10000000] ms (got ${durationMs})`);
  const warmupMs = options.warmupMs ?? 0;
  const spec = resolveModel(options);

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

  options.onPhase?.('build', {});
  const t0 = performance.now();
  const network = buildNetwork(spec, { seed, dtMs });
  const buildMs = performance.now() - t0;
  const { backend, workers } = createBackend(network, { ...options, seed: restored?.seed ?? seed, batch });
  let restarts = 0;
  if (backend instanceof WorkersBackend) {
    backend.on('worker-lost', (e) => {
      restarts++;
      options.onSupervision?.({ kind: 'worker-lost', ...e });
    });
    backend.on('restored', (e) => options.onSupervision?.({ kind: 'restored', ...e }));
    backend.on('replayed', (e) => options.onSupervision?.({ kind: 'replayed', ...e }));
  }
  try {
    if (restored) backend.restore(restored);
    const startStep = backend.currentStep;
    options.onPhase?.('run', { neurons: network.neuronCount, synapses: network.synapseCount });
    const steps = Math.round(durationMs / dtMs);
    const outcome = await backend.run(steps, { signal: options.signal, onProgress: options.onProgress });
    const m = backend.metrics();
    const simulatedMs = outcome.stepsRun * dtMs;
    const endMs = backend.currentStep * dtMs;
    const countFromMs = backend.recorder.countFromStep * dtMs;
    if (options.saveCheckpoint !== undefined) writeCheckpointFile(options.saveCheckpoint, backend.checkpoint());
    const conn = connectivityBytes(network);
    return {
      model: network.name,
      neurons: network.neuronCount,
      synapses: network.synapseCount,
      backend: backend.name,
      workers,
      batch: backend.batch,
      seed: backend.seed,
      dtMs,
      durationMs: simulatedMs,
      startMs: startStep * dtMs,
      endMs,
      buildMs,
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
      ...(backend instanceof GpujsBackend ? { gpujs: { mode: backend.mode, probes: backend.modeProbes } } : {}),
      interrupted: outcome.stepsRun < steps,
    };
  } finally {
    await backend.dispose();
  }
}
