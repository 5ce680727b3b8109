import type { JudgeReport } from './judge/probes.js';
import type { PerformanceImpact } from './judge/performance-impact.js';
import type { FaultTargets } from '../chaos/fault.js';
import type { Band } from './steady-state.js';
import type { Alert } from './alerts.js';
import type { MetricSample } from './metrics.js';
import type { ResilienceScore } from './scores.js';
import type { RecordingFigures } from './experiment-recording.js';
import { experimentVerdict } from './verdict.js';
import type { Recommendation } from './recommendations.js';

/** Something the simulation gave up to keep running when memory was refused. */
export interface Degradation {
  /** Simulated time it happened. */
  tMs: number;
  component: string;
  gaveUp: string;
  reason: string;
}

export type RunStatus = 'completed' | 'failed' | 'aborted' | 'interrupted';

/** An experiment's status: a run status, or `not-run` for one the run never started (it was interrupted before). */
export type ExperimentStatus = RunStatus | 'not-run';

/**
 * The journal's shape. 1: the first format (no `formatVersion` field). 2: adds
 * `formatVersion`, per-experiment `verdict`, `fault.endedAtMs`, null for every
 * unmeasured score part, hypothesis and CV, and `not-run` records.
 * `upgradeJournal` reads both.
 */
export const JOURNAL_FORMAT_VERSION = 2;

/**
 * What an experiment showed, in one word, with the reasons: `pass` (every
 * hypothesis held, the SLA was met, nothing was lost), `fail`,
 * `interrupted` (a signal ended it), `not-run` (never started).
 */
export interface ExperimentVerdict {
  outcome: 'pass' | 'fail' | 'interrupted' | 'not-run';
  /** Why it did not pass (empty on a pass). */
  reasons: string[];
}

/** What a run showed: `pass` only when every experiment passed, `interrupted` when a signal ended it, else `fail`; a reason per experiment that did not pass. */
export interface RunVerdict {
  outcome: 'pass' | 'fail' | 'interrupted';
  reasons: string[];
}

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
  status: ExperimentStatus;
  verdict: ExperimentVerdict;
  /** The steady-state hypothesis did not hold after the fault (Chaos Toolkit's sense); see hypothesis.during for the fault window. */
  deviated: boolean;
  /** Whether the steady state held before injection, during the observation and after the fault; null: not checked (the experiment ended before). */
  hypothesis: { before: boolean | null; during: boolean | null; after: boolean | null };
  /**
   * The fault and its window in simulated ms: injected (null: never injected), stopped by a
   * rollback (null: never), and ended: the step at which it stopped acting, its own
   * `durationMs` expiry or its rollback, whichever came first (null: it acted to the end).
   */
  fault: { id: string; kind: string; spec: unknown; targets: FaultTargets; injectedAtMs: number | null; stoppedAtMs: number | null; endedAtMs: number | null };
  durations: { warmupMs: number; baselineMs: number; observationMs: number; recoveryTimeoutMs: number; holdMs: number; slaMs: number; monitorIntervalMs: number };
  bands: Record<string, Band>;
  samples: MetricSample[];
  /**
   * Recovery: simulated ms from the fault's end (`fault.endedAtMs`; the start of the
   * recovery window when the fault never ended) to the first sample of the run of
   * in-band samples that lasted `holdMs`; null when it did not recover or was not watched.
   */
  recovery: { recovered: boolean; simMs: number | null; wallMs: number | null; slaMet: boolean };
  /** What the simulator's defences did, under the names reports and tools rely on. */
  defences: DefenceFigures;
  /** Pooled CV of inter-spike intervals per phase (first watched replica); null: the phase has no samples. */
  cvIsi: { baseline: number | null; fault: number | null; recovery: number | null };
  scores: ResilienceScore;
  /** Wall-clock figures (throughput, step latency, memory, wall time to recover) with their baseline noise: advisory, never in the verdict, a hypothesis or a score (absent in journals before it). */
  performanceImpact?: PerformanceImpact;
  comparison: TreatmentComparison | null;
  /** The judge's probes, treated against control (null: nothing injected or no fault-window sample; absent in journals before it). */
  judge?: JudgeReport | null;
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
  /** Lost workers the supervisor recovered from by restoring a restart point, and the steps it recomputed (absent in journals before them). */
  workerReplays?: number;
  stepsReplayed?: number;
}

export interface ResilienceReport {
  /** Mean of the experiments' overall scores that were measured; null when none was. */
  overall: number | null;
  criticalVulnerabilities: string[];
  recoveryCapabilities: string[];
  /** What to change, each with the findings behind it (experiment, probe, value), as text. */
  recommendations: string[];
  /** The same recommendations as data: the rule, the advice and its evidence (absent in journals before them). */
  recommendationFindings?: Recommendation[];
}

export interface Journal {
  /** The journal's format (JOURNAL_FORMAT_VERSION); absent in format 1. */
  formatVersion: number;
  tool: { name: 'neurochaos'; version: string; node: string };
  scenario: { title: string; file?: string; seed: number; timeScale: number; backend: string; backendSelection?: string; workers: number; batch: number; model: unknown; neurons: number; dtMs: number; defences?: unknown; /** The LIF update's arithmetic, as asked (absent in journals before it, and where none was asked: float64). */ precision?: 'float64' | 'float32' };
  status: RunStatus;
  /** The run's verdict (runVerdict; absent in journals before it: judged afresh from the experiments). */
  verdict?: RunVerdict;
  startedAt: string;
  endedAt: string;
  experiments: ExperimentRecord[];
  report: ResilienceReport;
}

/**
 * A journal of any format as the current format, for reading (reports,
 * tools): format 1 (no `formatVersion`) gains each experiment's `verdict`
 * (judged by today's rules from its status, hypotheses and recovery) and
 * `fault.endedAtMs: null` (unknown: reports fall back to the rollback).
 * Its scores stay as that version computed them. Returns a new object;
 * the input is not changed.
 * @throws Error for a journal newer than this version knows
 */
export function upgradeJournal(j: Journal): Journal {
  const version = typeof j.formatVersion === 'number' ? j.formatVersion : 1;
  if (version > JOURNAL_FORMAT_VERSION) throw new Error(`journal format ${version} is newer than this neurochaos reads (${JOURNAL_FORMAT_VERSION}); upgrade neurochaos`);
  if (version === JOURNAL_FORMAT_VERSION) return j;
  return {
    ...j,
    formatVersion: JOURNAL_FORMAT_VERSION,
    experiments: j.experiments.map((e) => ({ ...e, verdict: e.verdict ?? experimentVerdict(e), fault: { ...e.fault, endedAtMs: e.fault.endedAtMs ?? null } })),
  };
}
