import type { RunOptions } from './backends/backend.js';
import { createBackend, type BackendChoice } from './backends/create-backend.js';
import { buildNetwork, DEFAULT_DT_MS } from './model/builder.js';
import { connectivityBytes } from './model/network.js';
import { resolveModel, type ModelChoice } from './model/resolve-model.js';
import { check } from './util/errors.js';

export interface SimulateOptions extends ModelChoice, BackendChoice {
  /** Simulated time. @defaultValue 1000 */
  durationMs?: number;
  /** @defaultValue 0.1 */
  dtMs?: number;
  /** Seed of construction and of per-step randomness. @defaultValue 1 */
  seed?: number;
  signal?: AbortSignal;
  onProgress?: RunOptions['onProgress'];
  /** Told when building starts and ends, and when the run starts. */
  onPhase?: (phase: 'build' | 'run', detail: { neurons?: number; synapses?: number }) => void;
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
  /** Simulated time actually run (less than asked for when interrupted). */
  durationMs: number;
  buildMs: number;
  /** Wall time of the simulation loop. */
  wallMs: number;
  /** Real-time factor: wallMs / durationMs. */
  rtf: number;
  spikes: number;
  synapticEvents: number;
  /** Mean rate per population (Hz) after the warm-up, averaged over replicas. */
  ratesHz: Record<string, number>;
  spikeHash: string;
  peakRssBytes: number;
  connectivityBytes: number;
  bytesPerSynapse: number;
  stateBytes: number;
  interrupted: boolean;
}

/** Builds a model, runs it on a backend and summarises the run: what `neurochaos simulate` prints. */
export async function simulate(options: SimulateOptions = {}): Promise<SimulateResult> {
  const durationMs = options.durationMs ?? 1000;
  const dtMs = options.dtMs ?? DEFAULT_DT_MS;
  check(Number.isFinite(durationMs) && durationMs > 0 && durationMs <= 1e7, 'durationMs', () => `must be a number in (0, 10000000] ms (got ${durationMs})`);
  const warmupMs = options.warmupMs ?? 0;
  check(Number.isFinite(warmupMs) && warmupMs >= 0 && warmupMs < durationMs, 'warmupMs', () => `must be a number in [0, durationMs) (got ${warmupMs})`);
  const spec = resolveModel(options);
  options.onPhase?.('build', {});
  const t0 = performance.now();
  const network = buildNetwork(spec, { seed: options.seed ?? 1, dtMs });
  const buildMs = performance.now() - t0;
  const { backend, workers } = await createBackend(network, options);
  try {
    options.onPhase?.('run', { neurons: network.neuronCount, synapses: network.synapseCount });
    const steps = Math.round(durationMs / dtMs);
    const outcome = await backend.run(steps, { signal: options.signal, onProgress: options.onProgress });
    const m = backend.metrics();
    const simulatedMs = outcome.stepsRun * dtMs;
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
      buildMs,
      wallMs: m.wallMs,
      rtf: simulatedMs > 0 ? m.wallMs / simulatedMs : 0,
      spikes: m.spikes,
      synapticEvents: m.synapticEvents,
      ratesHz: backend.recorder.populationRatesHz(network, Math.max(0, simulatedMs - warmupMs)),
      spikeHash: backend.recorder.spikeHash(),
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
      connectivityBytes: conn,
      bytesPerSynapse: network.synapseCount > 0 ? conn / network.synapseCount : 0,
      stateBytes: m.stateBytes,
      interrupted: outcome.stepsRun < steps,
    };
  } finally {
    await backend.dispose();
  }
}
