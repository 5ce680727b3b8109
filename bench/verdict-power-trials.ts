import { createBackend } from '../src/backends/create-backend.js';
import { Allocator } from '../src/memory/allocator.js';
import { buildNetwork } from '../src/model/builder.js';
import type { Network } from '../src/model/network.js';
import { resolveModel } from '../src/model/resolve-model.js';
import { pairedLayout } from '../src/engine/paired-controls.js';
import { judgeExperiment } from '../src/engine/judge/judge-experiment.js';
import type { JudgeReport } from '../src/engine/judge/probes.js';
import { validateScenario } from '../src/engine/load-scenario.js';
import { createExperimentState, type ExperimentState } from '../src/engine/phases/experiment-state.js';
import { runLifecycle } from '../src/engine/phases/lifecycle.js';
import { experimentVerdict } from '../src/engine/verdict.js';
import { sampleMetrics, type MetricSample } from '../src/engine/metrics.js';
import { baselineBands } from '../src/engine/steady-state.js';
import { checkDuring, DEPARTURE_SAMPLES, overlapsFault, type DuringCheck } from '../src/engine/steady-state-during.js';
import type { Scenario } from '../src/engine/scenario-schema.js';
import type { PowerConfig, PowerPoint } from './verdict-power-config.js';

/** One verdict: the probes that failed (any one is a detection, or under the null perturbation a false alarm), over one pair or a group of pairs. */
export interface TrialOutcome {
  /** The index in its point of the verdict's first pair (its control/treated replicas in the run are derived from it). */
  trial: number;
  /** Paired trials this verdict pools (judge.trials of the experiment it stands for): 1 for a per-pair verdict. */
  pairs: number;
  /** judged: the judge ran; not-injected: the steady state did not hold before injection (the engine injected nothing), no verdict. */
  status: 'judged' | 'not-injected';
  failingProbes: string[];
  /** Probes with no data (too few windows or a silent population). */
  noDataProbes: string[];
  /** The focus probe's relative effect (treated - control) / control, and its outcome. */
  focusEffect: number | null;
  focusOutcome: 'pass' | 'fail' | 'no-data' | null;
  /** The focus probe's permutation-test p-value, window (ms) and windows per side: what bounds its power. */
  focusPValue?: number | null;
  focusWindowMs?: number | null;
  focusWindows?: [number, number];
  /** The control the judge used: control replicas or the replica's own baseline. */
  controls: JudgeReport['controls'] | null;
  /** Whether the treated replica's spikes differed from its paired control's while the fault acted (null: no paired control). */
  diverged?: boolean | null;
  /** The engine's steady-state check while the fault acted, over this verdict's replicas (null: nothing injected); when it failed, `failingProbes` also lists `steady-state.during`. */
  during?: (Pick<DuringCheck, 'held' | 'excursionCount' | 'samples' | 'unfaultedSamples' | 'metrics'> & { firstExcursions: DuringCheck['excursions'] }) | null;
}

/** The name a failed steady-state check while the fault acted goes by among a verdict's failing probes. */
export const DURING_CHECK_ID = 'steady-state.during';

/** What one batched run of a point gave: its trials, and the engine's own verdict of the whole batch (all trials pooled). */
export interface RunOutcome {
  trials: TrialOutcome[];
  pooled: { outcome: string; reasons: string[]; failingProbes: string[]; controls: JudgeReport['controls'] | null };
  /** Simulated replica-ms of the run and its wall ms. */
  replicaMs: number;
  wallMs: number;
  /** Runs before this one that injected nothing (steady state not met before injection), each rerun with the next seed. */
  refusals: number;
  /** The run's seed (drive, initial state, fault targets). */
  seed: number;
}

/**
 * The scenario of one batched run of `point`: the benchmark's column,
 * durations and judge, `trials` paired trials (or, in baseline mode, treated
 * replicas); spikes not recorded; weights not scrubbed (a repaired
 * corruption would test the scrubber, not the judge).
 */
export function pointScenario(cfg: PowerConfig, point: PowerPoint, trials: number, seed: number): Scenario {
  return validateScenario({
    title: `verdict-power ${point.id}`,
    seed,
    model: { name: 'microcircuit', scale: cfg.scale, kScale: cfg.kScale },
    backend: cfg.backend,
    workers: cfg.backend === 'workers' ? cfg.workers : undefined,
    dtMs: 0.1,
    defaults: { warmupMs: cfg.warmupMs, baselineMs: cfg.baselineMs, monitorIntervalMs: cfg.monitorIntervalMs, holdMs: cfg.monitorIntervalMs },
    judge: { controls: point.controls ?? 'paired', trials, tolerance: { relative: cfg.judge.relative }, alpha: cfg.judge.alpha, minExpectedSpikes: cfg.judge.minExpectedSpikes },
    defences: { scrub: false, recording: 'off' },
    // Recovery is not what this benchmark measures: one monitor interval of it.
    experiments: [{ id: point.id, fault: point.fault, observationMs: cfg.observationMs, recoveryTimeoutMs: cfg.monitorIntervalMs }],
  });
}

/** The network every run of the benchmark simulates (one column: trials differ by their noise streams). */
export function powerNetwork(cfg: PowerConfig): Network {
  return buildNetwork(resolveModel({ model: 'microcircuit', scale: cfg.scale, kScale: cfg.kScale }), { seed: cfg.seed, dtMs: 0.1 });
}

/** The two copies of the column a benchmark needs: the treated runs', and the separate control runs' of faults on shared weights or delivery (built from the same seed: the same connectivity, weights never shared). */
export interface PowerColumns {
  treated: Network;
  control: Network;
}

/** Replicas the engine simulates for `trials` trials of `point` (controls included). */
export function replicasOf(point: PowerPoint, trials: number): number {
  const l = pairedLayout({ judge: { controls: point.controls ?? 'paired', trials } } as Scenario, { fault: point.fault });
  return l.batch + (l.controlBatch ?? 0);
}

/** The replicas of the verdict over pairs [k, k + pairs) of a run: their controls (in the batch or in the control run; none against the baseline) and their treated replicas. */
function verdictReplicas(state: ExperimentState, k: number, pairs: number): { controls: number[]; watched: number[] } {
  return { controls: state.controls.slice(k, k + pairs), watched: state.watched.slice(k, k + pairs) };
}

/**
 * Runs `trials` trials of `point` as the paired replicas of one batched
 * experiment through the engine's lifecycle (paired layout, warm-up,
 * baseline, hypothesis-before, the bit-identity check, inject, observe,
 * rollback, recovery, score), then judges each trial on its own control and
 * treated replica with the engine's judge (`judgeExperiment`: the same
 * windows, test and minimum effect as a one-trial experiment). Each run has
 * its own seed (its drive, initial state and fault targets) on the one
 * column. A run whose steady state does not hold before injection injects
 * nothing (the engine's rule): its trials are rerun with the next seed, at
 * most `maxAttempts` times, and the refusals are counted.
 */
export async function runPointBatch(cfg: PowerConfig, point: PowerPoint, columns: PowerColumns, trials: number, firstTrial: number, maxAttempts = 3): Promise<RunOutcome> {
  let refusals = 0;
  let out: RunOutcome | null = null;
  for (let attempt = 0; attempt < maxAttempts; attempt++) {
    out = await runOnce(cfg, point, columns, trials, firstTrial, cfg.seed + 1000 * (1 + firstTrial) + attempt);
    if (out.trials.some((t) => t.status === 'judged')) break;
    refusals++;
  }
  return { ...out!, refusals };
}

async function runOnce(cfg: PowerConfig, point: PowerPoint, columns: PowerColumns, trials: number, firstTrial: number, seed: number): Promise<RunOutcome> {
  const scenario = pointScenario(cfg, point, trials, seed);
  const layout = pairedLayout(scenario, scenario.experiments[0]);
  const build = (network: Network, batch: number) => {
    const allocator = new Allocator();
    const { backend } = createBackend(network, { backend: cfg.backend, workers: cfg.backend === 'workers' ? cfg.workers : undefined, batch, noiseStreams: layout.noiseStreams, seed, allocator, degrade: true, guards: { enabled: scenario.defences.guards } });
    return { backend, allocator };
  };
  const treated = build(columns.treated, layout.batch);
  const control = layout.controlBatch === null ? undefined : build(columns.control, layout.controlBatch);
  const t0 = performance.now();
  try {
    const state = createExperimentState({ scenario, spec: scenario.experiments[0], index: 0, backend: treated.backend, allocator: treated.allocator, timeScale: 1, layout, control });
    const record = await runLifecycle(state);
    const outcomes: TrialOutcome[] = [];
    // Each verdict as an experiment of judge.trials = pairs would give it: one per pair, and one per group of pairs (re-judging costs no simulation).
    for (const pairs of cfg.pairsPerVerdict) {
      for (let k = 0; k + pairs <= trials; k += pairs) {
        const judged = state.injectedAtStep === null ? null : judgeExperiment({ ...state, ...verdictReplicas(state, k, pairs) });
        const div = Array.from({ length: pairs }, (_, i) => diverged(state, k + i));
        const during = trialDuringCheck(state, k, pairs);
        const o = trialOutcome(firstTrial + k, judged, point.focusProbe);
        // The experiment's verdict fails on either: a probe, or the steady state while the fault acted.
        if (during && !during.held) o.failingProbes.push(DURING_CHECK_ID);
        outcomes.push({ ...o, pairs, diverged: div.includes(null) ? null : div.includes(true), during: during && { held: during.held, excursionCount: during.excursionCount, unfaultedSamples: during.unfaultedSamples, samples: during.samples, metrics: during.metrics, firstExcursions: during.excursions.slice(0, 3) } });
      }
    }
    const pooledJudge = record.judge ?? null;
    return {
      trials: outcomes,
      pooled: { ...experimentVerdict(record), failingProbes: (pooledJudge?.probes ?? []).filter((p) => p.outcome === 'fail').map((p) => p.id), controls: pooledJudge?.controls ?? null },
      replicaMs: (layout.batch + (layout.controlBatch ?? 0)) * (cfg.warmupMs + cfg.baselineMs + cfg.observationMs + cfg.monitorIntervalMs),
      wallMs: performance.now() - t0,
      refusals: 0,
      seed,
    };
  } finally {
    await treated.backend.dispose();
    await control?.backend.dispose();
  }
}

/**
 * The engine's steady-state check while the fault acted (checkDuring, as the
 * observe phase runs it), over the replicas of the verdict over pairs
 * [k, k + pairs): its monitor samples re-read from the activity logs at the
 * run's own sample intervals, bands from its baseline samples, the
 * unfaulted range from its baseline and its paired controls' samples. Non-finite counts are read from the final state (the
 * benchmark's faults never make one). Null when nothing was injected.
 */
function trialDuringCheck(state: ExperimentState, k: number, pairs: number): DuringCheck | null {
  if (state.injectedAtStep === null) return null;
  const { watched, controls } = verdictReplicas(state, k, pairs);
  const { backend, allocator, scenario } = state.ctx;
  const toStep = (ms: number) => Math.round(ms / state.dtMs);
  const baseline: MetricSample[] = [];
  const controlSamples: MetricSample[] = [];
  const faultPairs: { treated: MetricSample; control: MetricSample | null; fromMs: number }[] = [];
  let prevTo = -Infinity;
  for (const s of state.samples) {
    const to = toStep(s.tMs);
    const from = Math.max(to - state.intervalSteps, prevTo);
    prevTo = to;
    const treated = sampleMetrics(backend, state.activity, allocator, watched, from, to, 0, 0, s.phase);
    if (s.phase === 'baseline') baseline.push(treated);
    else if (s.phase === 'fault' && overlapsFault(from, state.faultEndStep)) {
      const control = controls.length ? sampleMetrics(state.arm.backend, state.arm.activity, state.arm.allocator, controls, from, to, 0, 0, s.phase) : null;
      faultPairs.push({ treated, control, fromMs: from * state.dtMs });
    }
    if (s.phase === 'fault' && controls.length) controlSamples.push(sampleMetrics(state.arm.backend, state.arm.activity, state.arm.allocator, controls, from, to, 0, 0, s.phase));
  }
  if (!baseline.length) return null;
  return checkDuring({ pairs: faultPairs, unfaulted: [...baseline, ...controlSamples], bands: baselineBands(baseline, scenario.defaults.tolerance), judged: state.judged, tolerance: scenario.defaults.tolerance, minSamples: DEPARTURE_SAMPLES });
}

/**
 * Whether trial k's treated replica left its control's trajectory while the
 * fault acted: any 1 ms bin of any population with another spike count
 * (null: no control replica, or nothing injected). Paired replicas are
 * bit-identical up to injection, so under the null perturbation this says
 * whether the A/A trial tested anything.
 */
function diverged(state: ExperimentState, k: number): boolean | null {
  if (!state.controls.length || state.injectedAtStep === null) return null;
  const binSteps = state.activity.binSteps;
  const from = Math.floor(state.injectedAtStep / binSteps);
  const to = Math.floor((state.faultEndStep ?? state.ctx.backend.currentStep) / binSteps);
  const c = state.controls[k];
  const t = state.watched[k];
  const pops = state.ctx.backend.network.populations.length;
  for (let bin = from; bin < to; bin++) for (let p = 0; p < pops; p++) if (state.arm.activity.at(bin, c, p) !== state.activity.at(bin, t, p)) return true;
  return false;
}

function trialOutcome(trial: number, j: JudgeReport | null, focusProbe: string): TrialOutcome {
  if (!j) return { trial, pairs: 0, status: 'not-injected', failingProbes: [], noDataProbes: [], focusEffect: null, focusOutcome: null, controls: null };
  // The fault acts for the whole observation: the focus probe is judged on its `during` span (the judge gives one verdict per probe and when).
  const focus = j.probes.find((p) => p.id === focusProbe && p.when === 'during');
  return {
    trial,
    pairs: 0,
    status: 'judged',
    failingProbes: [...new Set(j.probes.filter((p) => p.outcome === 'fail').map((p) => p.id))],
    noDataProbes: [...new Set(j.probes.filter((p) => p.outcome === 'no-data').map((p) => p.id))],
    // With no verdict (too few windows) the means may still show the effect.
    focusEffect: focus?.effect ?? (focus && focus.controlMean && focus.treatedMean !== null ? (focus.treatedMean - focus.controlMean) / Math.abs(focus.controlMean) : null),
    focusOutcome: focus?.outcome ?? null,
    focusPValue: focus?.pValue ?? null,
    focusWindowMs: focus?.windowMs ?? null,
    focusWindows: focus ? [focus.controlWindows, focus.treatedWindows] : [0, 0],
    controls: j.controls,
  };
}
