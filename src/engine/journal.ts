import type { FaultTargets } from '../chaos/fault.js';
import type { Band } from './steady-state.js';
import type { Alert } from './alerts.js';
import type { MetricSample } from './metrics.js';
import type { ResilienceScore } from './scores.js';
import type { RecordingFigures } from './experiment-recording.js';

/** Something the simulation gave up to keep running when memory was refused. */
export interface Degradation {
  /** Simulated time it happened. */
  tMs: number;
  component: string;
  gaveUp: string;
  reason: string;
}

export type RunStatus = 'completed' | 'failed' | 'aborted' | 'interrupted';

/** One activity of an experiment: what ran, when, how it ended, what it produced. */
export interface JournalStep {
  name: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  status: 'succeeded' | 'failed' | 'skipped';
  output?: unknown;
  error?: string;
}

export interface TreatmentComparison {
  controls: number[];
  treated: number[];
  /** Mean over fault-window samples of (treated - control) network rate, Hz. */
  meanDifferenceHz: number;
  /** Bootstrap 95% interval of that mean (2000 resamples, seeded). */
  ci95: [number, number];
  significant: boolean;
}

export interface ExperimentRecord {
  id: string;
  description?: string;
  status: RunStatus;
  /** The steady-state hypothesis did not hold after the fault (Chaos Toolkit's sense); see hypothesis.during for the fault window. */
  deviated: boolean;
  hypothesis: { before: boolean; during: boolean; after: boolean };
  fault: { id: string; kind: string; spec: unknown; targets: FaultTargets; injectedAtMs: number; stoppedAtMs: number | null };
  durations: { warmupMs: number; baselineMs: number; observationMs: number; recoveryTimeoutMs: number; holdMs: number; slaMs: number; monitorIntervalMs: number };
  bands: Record<string, Band>;
  samples: MetricSample[];
  recovery: { recovered: boolean; simMs: number | null; wallMs: number | null; slaMet: boolean };
  /** What the simulator's defences did, under the names reports and tools rely on. */
  defences: DefenceFigures;
  /** Pooled CV of inter-spike intervals per phase (first watched replica). */
  cvIsi: { baseline: number; fault: number; recovery: number };
  scores: ResilienceScore;
  comparison: TreatmentComparison | null;
  abortReason?: string;
  /** Spikes per replica around the injection (flattened step, neuron pairs), for the raster. */
  raster: { fromMs: number; toMs: number; replica: number; pairs: number[] };
  steps: JournalStep[];
  /** Alerts raised during the fault and recovery windows. */
  alerts: Alert[];
  /** The experiment's spike recording, checked against the in-memory record (null: recording off). */
  recording: RecordingFigures | null;
  /** What the simulation gave up under allocator pressure, in order. */
  degradations: Degradation[];
}

export interface DefenceFigures {
  guards: boolean;
  scrub: boolean;
  /** Synapses the experiment's weight faults corrupted. */
  corruptionsInjected: number;
  /** Synapses the scrubber found corrupted, and put back. */
  corruptionsDetected: number;
  corruptionsRepaired: number;
  /** Steps from injection to the scrubber's first finding (null: none). */
  detectionLatencySteps: number | null;
  /** Neurons whose non-finite state the guards contained (each one quarantined). */
  nonFiniteContained: number;
  quarantinedNeurons: number;
  /** Inputs the guards capped or dropped (non-finite). */
  inputsCapped: number;
  allocationFailures: number;
  /** Alerts raised after the injection, and alerts raised on the unfaulted baseline. */
  alertsFired: number;
  falseAlarms: number;
  /** Simulated ms from injection to the first alert (null: none). */
  alertLatencyMs: number | null;
  /** The spike recording's mode and, checked spike by spike against the simulation's record, what it lacks and holds twice. */
  recording: 'durable' | 'raw' | 'off';
  spikesLost: number;
  spikesDuplicated: number;
  /** Times the simulation gave something up rather than fail under allocator pressure. */
  degradations: number;
}

export interface ResilienceReport {
  overall: number;
  criticalVulnerabilities: string[];
  recoveryCapabilities: string[];
  recommendations: string[];
}

export interface Journal {
  tool: { name: 'neurochaos'; version: string; node: string };
  scenario: { title: string; file?: string; seed: number; timeScale: number; backend: string; backendSelection?: string; workers: number; batch: number; model: unknown; neurons: number; dtMs: number; defences?: unknown };
  status: RunStatus;
  startedAt: string;
  endedAt: string;
  experiments: ExperimentRecord[];
  report: ResilienceReport;
}
