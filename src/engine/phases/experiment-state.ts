import { ChaosController } from '../../chaos/chaos-controller.js';
import { capabilityOf } from '../../backends/capabilities.js';
import type { ActiveFault, VerifyResult } from '../../chaos/fault.js';
import { ActivityLog } from '../../record/activity-log.js';
import { AlertMonitor, type Alert } from '../alerts.js';
import { ExperimentRecording, type RecordingFigures } from '../experiment-recording.js';
import type { Degradation, ExperimentStatus, JournalStep } from '../journal.js';
import type { MetricSample } from '../metrics.js';
import type { DuringCheck } from '../steady-state-during.js';
import { pairedLayout } from '../paired-controls.js';
import { ControlArm } from './control-arm.js';
import { isHealthMetric, type Band } from '../steady-state.js';
import type { ExperimentContext } from '../experiment-runner.js';
import type { ExperimentSpec, Scenario } from '../scenario-schema.js';
import { RecoveryTracker } from './recovery-tracker.js';
import { roundedSteps } from '../../util/time-steps.js';

/** An experiment's durations in simulated ms, time scale applied. */
export interface ExperimentDurations {
  warmupMs: number;
  baselineMs: number;
  observationMs: number;
  recoveryTimeoutMs: number;
  holdMs: number;
  slaMs: number;
  monitorIntervalMs: number;
}

/**
 * Everything one experiment's phases read and write, in one place: what is
 * fixed at the start (context, durations, replicas watched, the controller),
 * what the phases produce (samples, bands, the fault and its window,
 * hypotheses, recovery), and what the monitors count. Each phase is a
 * function of this state; `runLifecycle` runs them in order.
 */
export interface ExperimentState {
  readonly ctx: ExperimentContext;
  readonly durations: ExperimentDurations;
  readonly dtMs: number;
  /** Steps per monitor sample. */
  readonly intervalSteps: number;
  /** The metrics the hypotheses (before, during, after) and recovery are judged on: health only (simulated data; wall-clock figures are advisory). */
  readonly judged: (metric: string) => boolean;
  readonly chaos: ChaosController;
  readonly activity: ActivityLog;
  /** Replicas the samples watch (the treated ones), the replicas the fault targets (per-replica kinds with controls in the batch; null: the fault acts on all), and the control replicas (of `arm.backend`; empty in baseline mode). */
  readonly watched: number[];
  readonly treated: number[] | null;
  readonly controls: number[];
  /** The paired controls: where they run, their activity, lockstep and the bit-identity check before injection. */
  readonly arm: ControlArm;
  readonly recording: ExperimentRecording | null;
  readonly monitor: AlertMonitor;
  /** Wall clock at the start (performance.now()). */
  readonly t0: number;
  readonly totalMs: number;
  /** Counters taken before anything ran, for the defence figures. */
  readonly before: { scrub: { synapsesRepaired: number } | null; nonFiniteContained: number; inputsCapped: number; allocationFailures: number };

  steps: JournalStep[];
  samples: MetricSample[];
  bands: Record<string, Band>;
  status: ExperimentStatus;
  abortReason?: string;

  hypothesis: { before: boolean | null; during: boolean | null; after: boolean | null };
  fault: ActiveFault | null;
  injectedAtStep: number | null;
  /** Step at which the fault's own duration ends it (null: it has none in simulated time). */
  scheduledEndStep: number | null;
  /** Step at which the fault stopped acting: its expiry or its rollback, whichever came first. */
  faultEndStep: number | null;
  /** Wall ms since the start at which the fault's end was seen (for the wall time to recover). */
  faultEndWallMs: number | null;
  /** Step of the rollback that stopped it (null: none). */
  stoppedAtStep: number | null;
  /** The fault's own check, taken while it was in effect (null: never taken). */
  verifyWhileActive: (VerifyResult & { atStep: number }) | null;
  rollbackVerified: boolean;
  recoveryTracker: RecoveryTracker;
  recovery: { recovered: boolean; simMs: number | null; wallMs: number | null; slaMet: boolean };
  /** Whether the recovery window was reached (else the recovery score is null). */
  recoveryWatched: boolean;
  recordingFigures: RecordingFigures | null;

  alerts: Alert[];
  falseAlarms: number;
  degradations: Degradation[];
  treatedMinusControl: number[];
  /** The paired controls' sample over the interval of the treated sample just taken (fault window only; null in baseline mode or outside it). */
  controlSample: MetricSample | null;
  /** The steady-state check while the fault acted (null until the observation ran). */
  duringCheck: DuringCheck | null;
  /** Replays after lost workers (the supervisor's `replayed` events): how many and the steps recomputed (recommendations cite them). */
  replays: { count: number; steps: number };
  breakerCount: number;
  firstFindingStep: number | null;
  scrubSeen: number;
  lostSeen: number;
  /** Detaches the listeners the state put on the backend, scrubber and allocator. */
  release: () => void;
}

/** An experiment's durations: its own, else the scenario's defaults; observation and recovery timeout times the time scale. */
export function experimentDurations(scenario: Scenario, spec: ExperimentSpec, timeScale: number): ExperimentDurations {
  const d = scenario.defaults;
  return {
    warmupMs: spec.warmupMs ?? d.warmupMs,
    baselineMs: spec.baselineMs ?? d.baselineMs,
    observationMs: spec.observationMs * timeScale,
    recoveryTimeoutMs: spec.recoveryTimeoutMs * timeScale,
    holdMs: spec.holdMs ?? d.holdMs,
    // The SLA is a recovery time like the timeout: --time-scale shrinks both, or a quick run's SLA could never be missed.
    slaMs: (spec.slaMs ?? d.slaMs) * timeScale,
    monitorIntervalMs: spec.monitorIntervalMs ?? d.monitorIntervalMs,
  };
}

/** Builds the state of one experiment and attaches its listeners (activity log, scrubber findings, degradations, recording). */
export function createExperimentState(ctx: ExperimentContext): ExperimentState {
  const { scenario, spec, backend, allocator, timeScale } = ctx;
  const d = scenario.defaults;
  const dtMs = backend.network.dtMs;
  const durations = experimentDurations(scenario, spec, timeScale);
  const batch = backend.batch;
  const layout = ctx.layout ?? pairedLayout(scenario, spec);
  // Only a fault sharing its backend with controls needs telling which replicas to hit.
  const treated = layout.controlRun === 'same-batch' ? layout.treated : null;
  const controls = layout.controls;
  const watched = layout.treated;
  const activity = new ActivityLog(backend.network, batch);
  backend.recorder.activity = activity;
  const arm = ControlArm.of(layout, backend, activity, allocator, ctx.control);
  const chaos = ctx.chaos ?? new ChaosController(backend, { seed: scenario.seed, allocator });
  const metrics = backend.metrics();
  const intervalSteps = roundedSteps(durations.monitorIntervalMs, dtMs, 'monitorIntervalMs');
  const recording = ctx.recordDir ? ExperimentRecording.start(backend, scenario, ctx.recordDir, spec.id, allocator) : null;

  const state: ExperimentState = {
    ctx,
    durations,
    dtMs,
    intervalSteps,
    judged: isHealthMetric,
    chaos,
    activity,
    watched,
    treated,
    controls,
    arm,
    recording,
    monitor: new AlertMonitor(),
    t0: performance.now(),
    totalMs: durations.warmupMs + durations.baselineMs + durations.observationMs + durations.recoveryTimeoutMs,
    before: {
      scrub: backend.scrubber ? { ...backend.scrubber.stats } : null,
      nonFiniteContained: metrics.nonFiniteContained,
      inputsCapped: metrics.inputsCapped,
      allocationFailures: allocator.stats().failures,
    },
    steps: [],
    samples: [],
    bands: {},
    controlSample: null,
    duringCheck: null,
    status: 'completed',
    hypothesis: { before: null, during: null, after: null },
    fault: null,
    injectedAtStep: null,
    scheduledEndStep: null,
    faultEndStep: null,
    faultEndWallMs: null,
    stoppedAtStep: null,
    verifyWhileActive: null,
    rollbackVerified: true,
    recoveryTracker: new RecoveryTracker(Math.max(1, Math.ceil(durations.holdMs / durations.monitorIntervalMs))),
    recovery: { recovered: false, simMs: null, wallMs: null, slaMet: false },
    recoveryWatched: false,
    recordingFigures: null,
    alerts: [],
    falseAlarms: 0,
    degradations: [],
    treatedMinusControl: [],
    replays: { count: 0, steps: 0 },
    breakerCount: 0,
    firstFindingStep: null,
    scrubSeen: backend.scrubber ? backend.scrubber.stats.blocksDetected : 0,
    lostSeen: 0,
    release: () => undefined,
  };
  // A scrubber finding counts towards detection latency only once the fault is in.
  const onFinding = (f: { step: number }) => {
    if (state.firstFindingStep === null && state.injectedAtStep !== null && f.step >= state.injectedAtStep) state.firstFindingStep = f.step;
  };
  const onDegraded = (g: { component: string; gaveUp: string; reason: string }) => state.degradations.push({ tMs: backend.currentStep * dtMs, ...g });
  backend.scrubber?.on('corruption', onFinding);
  allocator.on('degraded', onDegraded);
  // The backend is the experiment's own, so the listener lives exactly as long as it (the supervisor has no off).
  capabilityOf(backend, 'shard-supervision')?.onSupervision('replayed', (e) => {
    state.replays.count++;
    state.replays.steps += e.steps;
  });
  state.release = () => {
    arm.release();
    backend.recorder.activity = null;
    backend.recorder.sink = null;
    backend.scrubber?.off('corruption', onFinding);
    allocator.off('degraded', onDegraded);
  };
  return state;
}
