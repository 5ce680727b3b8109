import type { SimulationBackend } from '../backends/backend.js';
import { capabilityOf } from '../backends/capabilities.js';
import type { Allocator } from '../memory/allocator.js';
import type { ActivityLog } from '../record/activity-log.js';
import { SPIKE_RECORD_LABEL } from '../record/allocator-chunks.js';

/** One monitor sample over the interval that ends at `tMs` (simulated). */
export interface MetricSample {
  tMs: number;
  /** Wall ms since the experiment started. */
  wallMs: number;
  phase: 'baseline' | 'fault' | 'recovery';
  /** Population rates (Hz) over the interval, mean over the watched replicas. */
  ratesHz: Record<string, number>;
  /** Fano factor of the whole network's activity in 1 ms bins: about 1 when asynchronous, far above when synchronised. */
  synchrony: number;
  /** Simulation steps per wall second over the interval. */
  stepsPerSecond: number;
  /** Mean wall ms per step over the interval (informational: its band would duplicate throughput's). */
  stepLatencyMs: number;
  /** Worker losses the supervisor recovered from, so far (workers backend). */
  workerRestarts: number;
  /** Allocator bytes in use, less the spike record (which grows by design as a run goes on). */
  memoryBytes: number;
  /** Non-finite membrane or current values (watched replicas). */
  nonFinite: number;
  /** Recorded spikes waiting for the disk (bytes), and the bound on them (absent without a recording). */
  recordingBacklogBytes?: number;
  recordingBacklogBoundBytes?: number;
}

/** The metrics the steady-state hypothesis covers, by name. */
export function metricValues(s: MetricSample): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [p, r] of Object.entries(s.ratesHz)) out[`rate.${p}`] = r;
  out.synchrony = s.synchrony;
  out.stepsPerSecond = s.stepsPerSecond;
  out.memoryBytes = s.memoryBytes;
  out.nonFinite = s.nonFinite;
  return out;
}

/** Reads a sample from the backend's buffers and the activity log. */
export function sampleMetrics(
  backend: SimulationBackend,
  activity: ActivityLog,
  allocator: Allocator,
  replicas: number[],
  fromStep: number,
  toStep: number,
  wallIntervalMs: number,
  wallMs: number,
  phase: MetricSample['phase'],
): MetricSample {
  const net = backend.network;
  const dt = net.dtMs;
  const binFrom = Math.floor(fromStep / activity.binSteps);
  const binTo = Math.floor(toStep / activity.binSteps);
  const bins = Math.max(1, binTo - binFrom);
  const seconds = (bins * activity.binSteps * dt) / 1000;
  const ratesHz: Record<string, number> = {};
  const total = new Float64Array(bins);
  for (const p of net.populations) {
    let n = 0;
    for (let bin = binFrom; bin < binTo; bin++) {
      for (const b of replicas) {
        const c = activity.at(bin, b, p.index);
        n += c;
        total[bin - binFrom] += c;
      }
    }
    ratesHz[p.name] = n / (p.size * replicas.length * seconds);
  }
  let mean = 0;
  for (const x of total) mean += x;
  mean /= bins;
  let variance = 0;
  for (const x of total) variance += (x - mean) ** 2;
  variance /= bins;
  const v = backend.buffer('membraneMv');
  const ex = backend.buffer('currentExcPa');
  const inh = backend.buffer('currentInhPa');
  let nonFinite = 0;
  const n = net.neuronCount;
  for (const b of replicas) {
    for (let i = b * n; i < (b + 1) * n; i++) if (!Number.isFinite(v[i]) || !Number.isFinite(ex[i]) || !Number.isFinite(inh[i])) nonFinite++;
  }
  return {
    tMs: toStep * dt,
    wallMs,
    phase,
    ratesHz,
    synchrony: mean > 0 ? variance / mean : 0,
    stepsPerSecond: wallIntervalMs > 0 ? ((toStep - fromStep) * 1000) / wallIntervalMs : 0,
    stepLatencyMs: toStep > fromStep ? wallIntervalMs / (toStep - fromStep) : 0,
    workerRestarts: capabilityOf(backend, 'shard-supervision')?.restartCount ?? 0,
    memoryBytes: allocator.stats().inUseBytes - allocator.inUseFor(SPIKE_RECORD_LABEL),
    nonFinite,
  };
}
