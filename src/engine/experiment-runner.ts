import type { SimulationBackend } from '../backends/backend.js';
import { ChaosController } from '../chaos/chaos-controller.js';
import type { ActiveFault } from '../chaos/fault.js';
import type { Allocator } from '../memory/allocator.js';
import { ActivityLog } from '../record/activity-log.js';
import { bootstrapMeanCi95 } from './bootstrap.js';
import { pooledCvByWindow } from './isi-stats.js';
import { AlertMonitor, type Alert } from './alerts.js';
import { planFault } from './fault-plan.js';
import type { Degradation, ExperimentRecord, JournalStep, RunStatus, TreatmentComparison } from './journal.js';
import { ExperimentRecording, type RecordingFigures } from './experiment-recording.js';
import { sampleMetrics, type MetricSample } from './metrics.js';
import type { ExperimentSpec, Scenario } from './scenario-schema.js';
import { scoreExperiment } from './scores.js';
import { baselineBands, isHealthMetric, outOfBand, type Band } from './steady-state.js';

export interface ExperimentContext {
  scenario: Scenario;
  spec: ExperimentSpec;
  index: number;
  backend: SimulationBackend;
  allocator: Allocator;
  timeScale: number;
  signal?: AbortSignal;
  /** Told of every alert as it fires. */
  onAlert?: (alert: Alert) => void;
  /** Folder for the experiment's spike recording (absent: no recording). */
  recordDir?: string;
  /** Progress in simulated ms through the experiment's plan. */
  onProgress?: (doneMs: number, totalMs: number, phase: string) => void;
}

/** Raised inside the lifecycle to end it early with a status. */
class EndEarly extends Error {
  constructor(readonly status: RunStatus, reason: string) {
    super(reason);
  }
}

/**
 * One experiment's lifecycle on its own simulation: warm up, take the
 * steady-state baseline, inject, observe (monitors and circuit breaker),
 * roll back by the strategy and verify it, wait for recovery, score. Every
 * activity is journaled; every fault is stopped on every way out.
 */
export async function runExperiment(ctx: ExperimentContext): Promise<ExperimentRecord> {
  const { scenario, spec, backend, allocator, timeScale } = ctx;
  const d = scenario.defaults;
  const dt = backend.network.dtMs;
  const durations = {
    warmupMs: spec.warmupMs ?? d.warmupMs,
    baselineMs: spec.baselineMs ?? d.baselineMs,
    observationMs: spec.observationMs * timeScale,
    recoveryTimeoutMs: spec.recoveryTimeoutMs * timeScale,
    holdMs: spec.holdMs ?? d.holdMs,
    // The SLA is a recovery time like the timeout: --time-scale shrinks both, or a quick run's SLA could never be missed.
    slaMs: (spec.slaMs ?? d.slaMs) * timeScale,
    monitorIntervalMs: spec.monitorIntervalMs ?? d.monitorIntervalMs,
  };
  const rollback = spec.rollback ?? d.rollback;
  const steps: JournalStep[] = [];
  const samples: MetricSample[] = [];
  const batch = backend.batch;
  const controlsCount = batch >= 2 ? (scenario.controls ?? Math.floor(batch / 2)) : 0;
  const kind = String(spec.fault.kind);
  const perReplica = kind === 'spike-storm' || kind === 'neuron-fault';
  const treated = perReplica && controlsCount > 0 ? Array.from({ length: batch - controlsCount }, (_, k) => controlsCount + k) : null;
  const controls = treated ? Array.from({ length: controlsCount }, (_, k) => k) : [];
  const watched = treated ?? Array.from({ length: batch }, (_, b) => b);
  const activity = new ActivityLog(backend.network, batch);
  backend.recorder.activity = activity;
  const chaos = new ChaosController(backend, { seed: scenario.seed, allocator });
  const scrubBefore = backend.scrubber ? { ...backend.scrubber.stats } : null;
  let firstFindingStep: number | null = null;
  const onFinding = (f: { step: number }) => {
    if (firstFindingStep === null && f.step >= (fault?.injectedAtStep ?? Infinity)) firstFindingStep = f.step;
  };
  backend.scrubber?.on('corruption', onFinding);
  const guardBefore = backend.metrics();
  const alerts: Alert[] = [];
  let falseAlarms = 0;
  const monitor = new AlertMonitor();
  let scrubSeen = backend.scrubber ? backend.scrubber.stats.blocksDetected : 0;
  const watchAlerts = (s: MetricSample) => {
    const now = backend.scrubber ? backend.scrubber.stats.blocksDetected : 0;
    const found = now - scrubSeen;
    scrubSeen = now;
    const lost = (recording?.spikesLostSoFar ?? 0) - lostSeen;
    lostSeen += lost;
    for (const a of monitor.evaluate(s, bands, { scrubberFindings: found, spikesLost: lost })) {
      alerts.push(a);
      ctx.onAlert?.(a);
    }
  };
  const allocFailuresBefore = allocator.stats().failures;
  const degradations: Degradation[] = [];
  const onDegraded = (d: { component: string; gaveUp: string; reason: string }) => degradations.push({ tMs: backend.currentStep * dt, ...d });
  allocator.on('degraded', onDegraded);
  const recording = ctx.recordDir ? ExperimentRecording.start(backend, scenario, ctx.recordDir, spec.id, allocator) : null;
  let lostSeen = 0;
  let recordingFigures: RecordingFigures | null = null;
  const intervalSteps = Math.max(1, Math.round(durations.monitorIntervalMs / dt));
  const totalMs = durations.warmupMs + durations.baselineMs + durations.observationMs + durations.recoveryTimeoutMs;
  const t0 = performance.now();
  let fault: ActiveFault | null = null;
  let stoppedAtMs: number | null = null;
  let status: RunStatus = 'completed';
  let abortReason: string | undefined;
  let bands: Record<string, Band> = {};
  let deviatedDuring = false;
  let rollbackVerified = true;
  let recovery = { recovered: false, simMs: null as number | null, wallMs: null as number | null, slaMet: false };
  const treatedMinusControl: number[] = [];

  const activityStep = async <T>(name: string, fn: () => Promise<T> | T): Promise<T> => {
    const start = new Date();
    const w = performance.now();
    try {
      const output = await fn();
      steps.push({ name, startedAt: start.toISOString(), endedAt: new Date().toISOString(), durationMs: performance.now() - w, status: 'succeeded', output: output === undefined ? undefined : output });
      return output;
    } catch (e) {
      steps.push({ name, startedAt: start.toISOString(), endedAt: new Date().toISOString(), durationMs: performance.now() - w, status: 'failed', error: e instanceof Error ? e.message : String(e) });
      throw e;
    }
  };

  const advance = async (simMs: number, phase: MetricSample['phase'] | 'warmup', onSample?: (s: MetricSample) => void | boolean) => {
    const until = backend.currentStep + Math.round(simMs / dt);
    while (backend.currentStep < until) {
      if (ctx.signal?.aborted) throw new EndEarly('interrupted', 'interrupted by a signal (SIGINT/SIGTERM)');
      const from = backend.currentStep;
      const n = Math.min(intervalSteps, until - from);
      const w = performance.now();
      const outcome = await chaos.run(n, { signal: ctx.signal });
      recording?.advance(backend.currentStep);
      if (outcome.interrupted) throw new EndEarly('interrupted', 'interrupted by a signal (SIGINT/SIGTERM)');
      const wall = performance.now() - w;
      ctx.onProgress?.((backend.currentStep * dt), totalMs, phase);
      if (phase === 'warmup') continue;
      const s = sampleMetrics(backend, activity, allocator, watched, from, backend.currentStep, wall, performance.now() - t0, phase);
      if (recording) {
        s.recordingBacklogBytes = recording.backlogBytes;
        s.recordingBacklogBoundBytes = recording.backlogBoundBytes;
      }
      samples.push(s);
      if (controls.length && phase === 'fault') {
        const c = sampleMetrics(backend, activity, allocator, controls, from, backend.currentStep, wall, 0, phase);
        treatedMinusControl.push(networkRate(backend, s) - networkRate(backend, c));
      }
      if (onSample?.(s) === true) return true;
    }
    return false;
  };

  let breakerCount = 0;
  const breaker = (s: MetricSample) => {
    const a = scenario.abort;
    const fraction = s.nonFinite / (backend.network.neuronCount * watched.length);
    const failing = fraction > a.maxNonFiniteFraction || (a.maxMemoryBytes !== undefined && s.memoryBytes > a.maxMemoryBytes) || (a.maxWallMs !== undefined && s.wallMs > a.maxWallMs);
    breakerCount = failing ? breakerCount + 1 : 0;
    if (breakerCount >= a.consecutive) throw new EndEarly('aborted', `circuit breaker: ${a.consecutive} failing samples in a row (non-finite ${(fraction * 100).toFixed(2)}%, memory ${s.memoryBytes} B, wall ${s.wallMs.toFixed(0)} ms)`);
  };

  try {
    await activityStep('warmup', () => advance(durations.warmupMs, 'warmup').then(() => ({ simMs: durations.warmupMs })));
    await activityStep('baseline', async () => {
      await advance(durations.baselineMs, 'baseline');
      bands = baselineBands(samples, d.tolerance);
      // Alerts the rules would have raised on the unfaulted baseline are false alarms.
      const baselineMonitor = new AlertMonitor();
      for (const b of samples) falseAlarms += baselineMonitor.evaluate(b, bands, { scrubberFindings: 0 }).length;
      return { samples: samples.length, bands, falseAlarms };
    });
    const before = samples.slice(-3).every((s) => outOfBand(s, bands, isHealthMetric).length === 0);
    steps.push(hypothesisStep('hypothesis-before', before));
    const faultSpec = planFault(spec.fault, timeScale, treated, `experiments[${ctx.index}].fault`);
    fault = await activityStep('inject', async () => {
      const f = await chaos.inject({ ...faultSpec, id: faultSpec.id ?? spec.id });
      return f;
    });
    steps[steps.length - 1].output = { id: fault.id, kind: fault.kind, targets: summarizeTargets(fault.targets) };
    const injectedAtMs = backend.currentStep * dt;
    await activityStep('observe', async () => {
      await advance(durations.observationMs, 'fault', (s) => {
        if (outOfBand(s, bands).length > 0) deviatedDuring = true;
        watchAlerts(s);
        breaker(s);
      });
      const v = fault!.verify();
      return { samples: samples.filter((s) => s.phase === 'fault').length, deviated: deviatedDuring, verify: v };
    });
    const doRollback = rollback === 'always' || (rollback === 'on-deviation' && deviatedDuring);
    if (doRollback) {
      await activityStep('rollback', async () => {
        await fault!.stop();
        stoppedAtMs = backend.currentStep * dt;
        const v = fault!.verify();
        rollbackVerified = v.ok;
        if (!v.ok) throw new Error(`rollback not verified: ${v.evidence}`);
        return v;
      }).catch(() => undefined);
    } else {
      steps.push({ name: 'rollback', startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), durationMs: 0, status: 'skipped', output: { strategy: rollback } });
    }
    await activityStep('recovery', async () => {
      const holdSamples = Math.max(1, Math.ceil(durations.holdMs / durations.monitorIntervalMs));
      let inBand = 0;
      let firstInBandMs: number | null = null;
      let firstInBandWall = 0;
      const startMs = backend.currentStep * dt;
      const startWall = performance.now();
      await advance(durations.recoveryTimeoutMs, 'recovery', (s) => {
        watchAlerts(s);
        breaker(s);
        // Recovered means the network computes as before (rates, synchrony, finite state); throughput and
        // memory count too only when the scenario says so: on a shared machine they move with the neighbours' load.
        if (outOfBand(s, bands, d.recoveryIncludesPerformance ? undefined : isHealthMetric).length === 0) {
          if (inBand === 0) {
            firstInBandMs = s.tMs - durations.monitorIntervalMs;
            firstInBandWall = performance.now() - startWall;
          }
          inBand++;
          if (inBand >= holdSamples) return true;
        } else inBand = 0;
        return false;
      });
      const recovered = inBand >= holdSamples && firstInBandMs !== null;
      const simMs = recovered ? Math.max(0, (firstInBandMs as unknown as number) - startMs) : null;
      recovery = { recovered, simMs, wallMs: recovered ? firstInBandWall : null, slaMet: recovered && (simMs as number) <= durations.slaMs };
      return recovery;
    });
    if (!recovery.recovered || !rollbackVerified) status = 'failed';
    await finalRollback();
    return finish(injectedAtMs);
  } catch (e) {
    if (e instanceof EndEarly) {
      status = e.status;
      abortReason = e.message;
    } else {
      status = 'failed';
      abortReason = e instanceof Error ? e.message : String(e);
    }
    await finalRollback();
    return finish(fault ? fault.injectedAtStep * dt : 0);
  } finally {
    // Every way out rolls back whatever is still active (the kill switch included).
    await finalRollback();
    if (recording && !recordingFigures) recording.writer.close(backend.currentStep);
    backend.recorder.activity = null;
    backend.recorder.sink = null;
    backend.scrubber?.off('corruption', onFinding);
    allocator.off('degraded', onDegraded);
  }

  async function finalRollback(): Promise<void> {
    const reports = await chaos.stopAll();
    if (reports.length) steps.push({ name: 'final-rollback', startedAt: new Date().toISOString(), endedAt: new Date().toISOString(), durationMs: 0, status: reports.every((r) => r.ok) ? 'succeeded' : 'failed', output: reports });
  }

  /** Closes and checks the recording; lost or duplicated spikes are a critical finding and fail the experiment. */
  function closeRecording(): RecordingFigures | null {
    if (!recording) return null;
    const r = recording.finish(backend);
    if ((r.spikesLost > 0 || r.spikesDuplicated > 0) && status === 'completed') {
      status = 'failed';
      abortReason = `data loss: the spike recording lacks ${r.spikesLost} and duplicates ${r.spikesDuplicated} of ${backend.recorder.totalSpikes} spikes`;
    }
    return r;
  }

  function defenceFigures() {
    const m = backend.metrics();
    const sc = backend.scrubber;
    const injectedSynapses = fault ? countCorrupted(fault) : 0;
    const repaired = sc && scrubBefore ? sc.stats.synapsesRepaired - scrubBefore.synapsesRepaired : 0;
    return {
      guards: scenario.defences.guards,
      scrub: sc !== null,
      corruptionsInjected: injectedSynapses,
      corruptionsDetected: repaired,
      corruptionsRepaired: repaired,
      detectionLatencySteps: firstFindingStep !== null && fault ? firstFindingStep - fault.injectedAtStep : null,
      nonFiniteContained: m.nonFiniteContained - guardBefore.nonFiniteContained,
      quarantinedNeurons: m.nonFiniteContained - guardBefore.nonFiniteContained,
      inputsCapped: m.inputsCapped - guardBefore.inputsCapped,
      allocationFailures: allocator.stats().failures - allocFailuresBefore,
      alertsFired: alerts.length,
      falseAlarms,
      alertLatencyMs: alerts.length && fault ? alerts[0].tMs - durations.monitorIntervalMs - fault.injectedAtStep * dt : null,
      recording: recordingFigures?.mode ?? ('off' as const),
      spikesLost: recordingFigures?.spikesLost ?? 0,
      spikesDuplicated: recordingFigures?.spikesDuplicated ?? 0,
      degradations: degradations.length,
    };
  }

  function finish(injectedAtMs: number): ExperimentRecord {
    recordingFigures = closeRecording();
    const after = recovery.recovered;
    const scores = scoreExperiment(samples, bands, recovery.simMs, durations.slaMs, rollbackVerified);
    let comparison: TreatmentComparison | null = null;
    if (controls.length && treatedMinusControl.length) {
      const diffs = treatedMinusControl;
      const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
      const ci = bootstrapMeanCi95(diffs, `${scenario.seed}:bootstrap:${spec.id}`);
      comparison = { controls, treated: watched, meanDifferenceHz: mean, ci95: ci, significant: ci[0] > 0 || ci[1] < 0 };
    }
    const phaseWindow = (phase: MetricSample['phase']): [number, number] => {
      const xs = samples.filter((x) => x.phase === phase);
      return xs.length ? [Math.round((xs[0].tMs - durations.monitorIntervalMs) / dt), Math.round(xs[xs.length - 1].tMs / dt)] : [0, 0];
    };
    const [cvBase, cvFault, cvRecovery] = pooledCvByWindow(backend.recorder.stores[watched[0] ?? 0].toPairs(), backend.network.neuronCount, [phaseWindow('baseline'), phaseWindow('fault'), phaseWindow('recovery')]);
    const rasterFrom = Math.max(0, injectedAtMs - 50);
    const rasterTo = injectedAtMs + 150;
    return {
      id: spec.id,
      description: spec.description,
      status,
      deviated: !after,
      hypothesis: { before: steps.find((s) => s.name === 'hypothesis-before')?.status === 'succeeded', during: !deviatedDuring, after },
      fault: { id: fault?.id ?? spec.id, kind, spec: fault?.spec ?? spec.fault, targets: fault ? summarizeTargets(fault.targets) : {}, injectedAtMs, stoppedAtMs },
      durations,
      bands,
      samples,
      recovery,
      cvIsi: { baseline: cvBase, fault: cvFault, recovery: cvRecovery },
      defences: defenceFigures(),
      scores,
      comparison,
      abortReason,
      raster: rasterOf(backend, watched[0] ?? 0, rasterFrom, rasterTo),
      steps,
      alerts,
      recording: recordingFigures,
      degradations,
    };
  }
}

function hypothesisStep(name: string, ok: boolean): JournalStep {
  const now = new Date().toISOString();
  return { name, startedAt: now, endedAt: now, durationMs: 0, status: ok ? 'succeeded' : 'failed', output: { held: ok } };
}

function networkRate(backend: SimulationBackend, s: MetricSample): number {
  let spikesPerS = 0;
  for (const p of backend.network.populations) spikesPerS += s.ratesHz[p.name] * p.size;
  return spikesPerS / backend.network.neuronCount;
}

/** Targets as the journal keeps them: every neuron, replica and worker; synapses counted with a sample. */
function summarizeTargets(t: ActiveFault['targets']): ActiveFault['targets'] {
  return { ...t, neurons: t.neurons ? [...t.neurons] : undefined };
}

function rasterOf(backend: SimulationBackend, replica: number, fromMs: number, toMs: number) {
  const dt = backend.network.dtMs;
  const pairs = backend.recorder.stores[replica].toPairs();
  const out: number[] = [];
  const a = Math.round(fromMs / dt);
  const b = Math.round(toMs / dt);
  for (let k = 0; k < pairs.length && out.length < 40000; k += 2) if (pairs[k] >= a && pairs[k] < b) out.push(pairs[k], pairs[k + 1]);
  return { fromMs, toMs, replica, pairs: out };
}

/** Synapses corrupted by a weight fault (or a cascade of them). */
function countCorrupted(f: ActiveFault): number {
  if (f.kind === 'weight-corruption') return f.targets.synapses ?? 0;
  const children = (f as { children?: ActiveFault[] }).children;
  return children ? children.reduce((a, c) => a + countCorrupted(c), 0) : 0;
}
