import type { ActiveFault } from '../../chaos/fault.js';
import type { SimulationBackend } from '../../backends/backend.js';
import { bootstrapMeanCi95 } from '../bootstrap.js';
import type { RecordingFigures } from '../experiment-recording.js';
import { pooledCvByWindow } from '../isi-stats.js';
import type { DefenceFigures, ExperimentRecord, TreatmentComparison } from '../journal.js';
import type { MetricSample } from '../metrics.js';
import { scoreExperiment, UNSCORED } from '../scores.js';
import { performanceImpact } from '../judge/performance-impact.js';
import { judgeExperiment } from '../judge/judge-experiment.js';
import { experimentProbes } from '../judge/experiment-probes.js';
import { experimentVerdict, probeFailed } from '../verdict.js';
import type { ExperimentState } from './experiment-state.js';
import { summarizeTargets } from './inject.js';
import { roundedSteps } from '../../util/time-steps.js';

/** Spikes kept for the raster: from 50 ms before the injection to 150 ms after it. */
const RASTER_BEFORE_MS = 50;
const RASTER_AFTER_MS = 150;
const RASTER_MAX_VALUES = 40000;

/**
 * Score: closes and checks the recording (lost or duplicated spikes fail the
 * experiment), scores what was measured (unmeasured parts are null; an
 * interrupted experiment has no score at all), compares
 * treated against control replicas, and builds the experiment's record with
 * its verdict.
 */
export function scoreAndRecord(state: ExperimentState): ExperimentRecord {
  const { scenario, spec, backend } = state.ctx;
  const dt = state.dtMs;
  state.recordingFigures = closeRecording(state);
  // A signal cut the experiment short: what it measured is a fragment of its windows, not its score (nor the run's).
  const judge = judgeExperiment(state);
  const d = state.duringCheck;
  const sampleHealth = d && d.samples ? d.samplesInside / d.samples : undefined;
  const scores = state.status === 'interrupted' ? { ...UNSCORED } : scoreExperiment(state.samples, state.bands, state.recovery.simMs, state.durations.slaMs, state.rollbackVerified, state.recoveryWatched, judge?.probes ?? [], sampleHealth);
  // The steady state did not hold during the fault when the gross check failed or a probe over the fault failed (Chaos Toolkit's hypothesis, Litmus's onChaos probes).
  if (probeFailed({ judge }, 'during', 'continuous') && state.hypothesis.during !== null) state.hypothesis.during = false;
  // Likewise after the fault: recovery's bands held, but a probe over the span after the fault failed.
  if (probeFailed({ judge }, 'after') && state.hypothesis.after !== null) state.hypothesis.after = false;
  let comparison: TreatmentComparison | null = null;
  if (state.controls.length && state.treatedMinusControl.length) {
    const diffs = state.treatedMinusControl;
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const ci = bootstrapMeanCi95(diffs, `${scenario.seed}:bootstrap:${spec.id}`);
    comparison = { controls: state.controls, treated: state.watched, meanDifferenceHz: mean, ci95: ci, significant: ci[0] > 0 || ci[1] < 0 };
  }
  const windows = (['baseline', 'fault', 'recovery'] as const).map((p) => phaseWindow(state.samples, p, state.durations.monitorIntervalMs, dt));
  const cv = pooledCvByWindow(backend.recorder.stores[state.watched[0] ?? 0].toPairs(), backend.network.neuronCount, windows.map((w) => w ?? [0, 0]));
  const injectedAtMs = state.injectedAtStep === null ? null : state.injectedAtStep * dt;
  const nowMs = backend.currentStep * dt;
  const rasterFrom = injectedAtMs === null ? Math.max(0, nowMs - RASTER_BEFORE_MS - RASTER_AFTER_MS) : Math.max(0, injectedAtMs - RASTER_BEFORE_MS);
  const rasterTo = injectedAtMs === null ? nowMs : injectedAtMs + RASTER_AFTER_MS;
  const f = state.fault;
  const record: Omit<ExperimentRecord, 'verdict'> = {
    id: spec.id,
    description: spec.description,
    status: state.status,
    deviated: state.hypothesis.after === false,
    hypothesis: { ...state.hypothesis },
    fault: {
      id: f?.id ?? spec.id,
      kind: String(spec.fault.kind),
      spec: f?.spec ?? spec.fault,
      targets: f ? summarizeTargets(f.targets) : {},
      injectedAtMs,
      stoppedAtMs: state.stoppedAtStep === null ? null : state.stoppedAtStep * dt,
      endedAtMs: state.faultEndStep === null ? null : state.faultEndStep * dt,
    },
    durations: state.durations,
    bands: state.bands,
    samples: state.samples,
    recovery: state.recovery,
    cvIsi: { baseline: windows[0] ? cv[0] : null, fault: windows[1] ? cv[1] : null, recovery: windows[2] ? cv[2] : null },
    defences: defenceFigures(state),
    scores,
    performanceImpact: performanceImpact(state.samples, state.recovery.wallMs, { probes: experimentProbes(scenario, spec, backend.network.populations.map((p) => p.name)), alpha: scenario.judge.alpha, seedKey: `${scenario.seed}:wall-clock:${spec.id}` }),
    comparison,
    judge,
    abortReason: state.abortReason,
    raster: rasterOf(backend, state.watched[0] ?? 0, rasterFrom, rasterTo),
    steps: state.steps,
    alerts: state.alerts,
    recording: state.recordingFigures,
    degradations: state.degradations,
  };
  return { ...record, verdict: experimentVerdict(record) };
}

/** Closes and checks the recording; lost or duplicated spikes are a critical finding and fail the experiment. */
function closeRecording(state: ExperimentState): RecordingFigures | null {
  if (!state.recording) return null;
  const { backend } = state.ctx;
  const r = state.recording.finish(backend);
  if ((r.spikesLost > 0 || r.spikesDuplicated > 0) && state.status === 'completed') {
    state.status = 'failed';
    state.abortReason = `data loss: the spike recording lacks ${r.spikesLost} and duplicates ${r.spikesDuplicated} of ${backend.recorder.totalSpikes} spikes`;
  }
  return r;
}

function defenceFigures(state: ExperimentState): DefenceFigures {
  const { backend, allocator, scenario } = state.ctx;
  const m = backend.metrics();
  const sc = backend.scrubber;
  const f = state.fault;
  const repaired = sc && state.before.scrub ? sc.stats.synapsesRepaired - state.before.scrub.synapsesRepaired : 0;
  const contained = m.nonFiniteContained - state.before.nonFiniteContained;
  return {
    guards: scenario.defences.guards,
    scrub: sc !== null,
    corruptionsInjected: f ? countCorrupted(f) : 0,
    corruptionsDetected: repaired,
    corruptionsRepaired: repaired,
    detectionLatencySteps: state.firstFindingStep !== null && f ? state.firstFindingStep - f.injectedAtStep : null,
    nonFiniteContained: contained,
    quarantinedNeurons: contained,
    inputsCapped: m.inputsCapped - state.before.inputsCapped,
    allocationFailures: allocator.stats().failures - state.before.allocationFailures,
    alertsFired: state.alerts.length,
    falseAlarms: state.falseAlarms,
    alertLatencyMs: state.alerts.length && f ? state.alerts[0].tMs - state.durations.monitorIntervalMs - f.injectedAtStep * state.dtMs : null,
    recording: state.recordingFigures?.mode ?? 'off',
    spikesLost: state.recordingFigures?.spikesLost ?? 0,
    spikesDuplicated: state.recordingFigures?.spikesDuplicated ?? 0,
    degradations: state.degradations.length,
    workerReplays: state.replays.count,
    stepsReplayed: state.replays.steps,
  };
}

/** Steps [first, last] a phase's samples cover; null when it has none. */
function phaseWindow(samples: MetricSample[], phase: MetricSample['phase'], intervalMs: number, dt: number): [number, number] | null {
  const xs = samples.filter((x) => x.phase === phase);
  return xs.length ? [roundedSteps(xs[0].tMs - intervalMs, dt, 'tMs', { minSteps: 0 }), roundedSteps(xs[xs.length - 1].tMs, dt, 'tMs', { minSteps: 0 })] : null;
}

function rasterOf(backend: SimulationBackend, replica: number, fromMs: number, toMs: number): ExperimentRecord['raster'] {
  const dt = backend.network.dtMs;
  const pairs = backend.recorder.stores[replica].toPairs();
  const out: number[] = [];
  const a = roundedSteps(fromMs, dt, 'fromMs', { minSteps: 0 });
  const b = roundedSteps(toMs, dt, 'toMs', { minSteps: 0 });
  for (let k = 0; k < pairs.length && out.length < RASTER_MAX_VALUES; k += 2) if (pairs[k] >= a && pairs[k] < b) out.push(pairs[k], pairs[k + 1]);
  return { fromMs, toMs, replica, pairs: out };
}

/** Synapses corrupted by a weight fault (or a cascade of them). */
function countCorrupted(f: ActiveFault): number {
  if (f.kind === 'weight-corruption') return f.targets.synapses ?? 0;
  const children = (f as { children?: ActiveFault[] }).children;
  return children ? children.reduce((a, c) => a + countCorrupted(c), 0) : 0;
}
