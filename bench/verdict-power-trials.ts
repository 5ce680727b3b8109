import { PER_REPLICA_KINDS } from '../src/chaos/fault-kinds.js';
import { createBackend } from '../src/backends/create-backend.js';
import { Allocator } from '../src/memory/allocator.js';
import { buildNetwork } from '../src/model/builder.js';
import type { Network } from '../src/model/network.js';
import { resolveModel } from '../src/model/resolve-model.js';
import { judgeExperiment } from '../src/engine/judge/judge-experiment.js';
import type { JudgeReport } from '../src/engine/judge/probes.js';
import { validateScenario } from '../src/engine/load-scenario.js';
import { createExperimentState, type ExperimentState } from '../src/engine/phases/experiment-state.js';
import { runLifecycle } from '../src/engine/phases/lifecycle.js';
import { experimentVerdict } from '../src/engine/verdict.js';
import type { Scenario } from '../src/engine/scenario-schema.js';
import type { PowerConfig, PowerPoint } from './verdict-power-config.js';

/** One trial's verdict: the probes that failed (any one is a detection, or under the null perturbation a false alarm). */
export interface TrialOutcome {
  /** The trial's index in its point (its control/treated replicas in the run are derived from it). */
  trial: number;
  /** judged: the judge ran; not-injected: the steady state did not hold before injection (the engine injected nothing), no verdict. */
  status: 'judged' | 'not-injected';
  failingProbes: string[];
  /** Probes with no data (too few windows or a silent population). */
  noDataProbes: string[];
  /** The focus probe's relative effect (treated - control) / control, and its outcome. */
  focusEffect: number | null;
  focusOutcome: 'pass' | 'fail' | 'no-data' | null;
  /** The control the judge used: control replicas or the replica's own baseline. */
  controls: JudgeReport['controls'] | null;
}

/** What one batched run of a point gave: its trials, and the engine's own verdict of the whole batch (all trials pooled). */
export interface RunOutcome {
  trials: TrialOutcome[];
  pooled: { outcome: string; reasons: string[]; failingProbes: string[]; controls: JudgeReport['controls'] | null };
  /** Simulated replica-ms of the run and its wall ms. */
  replicaMs: number;
  wallMs: number;
}

/** The scenario of one batched run of `point`: the benchmark's column, durations and judge; spikes not recorded; weights not scrubbed (a repaired corruption would test the scrubber, not the judge). */
export function pointScenario(cfg: PowerConfig, point: PowerPoint, batch: number, controls: number, seed: number): Scenario {
  return validateScenario({
    title: `verdict-power ${point.id}`,
    seed,
    model: { name: 'microcircuit', scale: cfg.scale, kScale: cfg.kScale },
    backend: cfg.backend,
    workers: cfg.backend === 'workers' ? cfg.workers : undefined,
    batch,
    controls,
    dtMs: 0.1,
    defaults: { warmupMs: cfg.warmupMs, baselineMs: cfg.baselineMs, monitorIntervalMs: cfg.monitorIntervalMs, holdMs: cfg.monitorIntervalMs },
    judge: { tolerance: { relative: cfg.judge.relative }, alpha: cfg.judge.alpha, minExpectedSpikes: cfg.judge.minExpectedSpikes },
    defences: { scrub: false, recording: 'off' },
    // Recovery is not what this benchmark measures: one monitor interval of it.
    experiments: [{ id: point.id, fault: point.fault, observationMs: cfg.observationMs, recoveryTimeoutMs: cfg.monitorIntervalMs }],
  });
}

/** The network every run of the benchmark simulates (one column: trials differ by their noise streams). */
export function powerNetwork(cfg: PowerConfig): Network {
  return buildNetwork(resolveModel({ model: 'microcircuit', scale: cfg.scale, kScale: cfg.kScale }), { seed: cfg.seed, dtMs: 0.1 });
}

/** Which replicas are trial k's control and treated ones in a run: paired (control k, treated trials + k) or against its baseline (replica k alone). */
function trialReplicas(state: ExperimentState, k: number): { controls: number[]; watched: number[] } {
  return state.controls.length > 0 ? { controls: [state.controls[k]], watched: [state.treated![k]] } : { controls: [], watched: [k] };
}

/**
 * Runs `trials` trials of `point` as the replicas of one batched experiment
 * through the engine's lifecycle (warm-up, baseline, hypothesis-before,
 * inject, observe, rollback, recovery, score), then judges each trial on its
 * own replicas with the engine's judge (`judgeExperiment`, the same windows,
 * test and minimum effect). A per-replica fault keeps `trials` unfaulted
 * controls in the batch; a fault on what replicas share (weights, partitions)
 * hits every replica, judged as the engine judges it.
 */
export async function runPointBatch(cfg: PowerConfig, point: PowerPoint, network: Network, trials: number, firstTrial: number): Promise<RunOutcome> {
  const perReplica = PER_REPLICA_KINDS.has(String(point.fault.kind) as never);
  const batch = perReplica ? 2 * trials : trials;
  const controls = perReplica ? trials : 0;
  // Each batched run gets its own seed: its drive and initial state differ from the other runs' (the column, built from cfg.seed, is one).
  const scenario = pointScenario(cfg, point, batch, controls, cfg.seed + 1000 * (1 + firstTrial));
  const allocator = new Allocator();
  const { backend } = createBackend(network, { backend: cfg.backend, workers: cfg.backend === 'workers' ? cfg.workers : undefined, batch, seed: scenario.seed, allocator, degrade: true, guards: { enabled: scenario.defences.guards } });
  const t0 = performance.now();
  try {
    const state = createExperimentState({ scenario, spec: scenario.experiments[0], index: 0, backend, allocator, timeScale: 1 });
    const record = await runLifecycle(state);
    const outcomes: TrialOutcome[] = [];
    for (let k = 0; k < trials; k++) {
      const judged = state.injectedAtStep === null ? null : judgeExperiment({ ...state, ...trialReplicas(state, k) });
      outcomes.push(trialOutcome(firstTrial + k, judged, point.focusProbe));
    }
    const pooledJudge = record.judge ?? null;
    return {
      trials: outcomes,
      pooled: { ...experimentVerdict(record), failingProbes: (pooledJudge?.probes ?? []).filter((p) => p.outcome === 'fail').map((p) => p.id), controls: pooledJudge?.controls ?? null },
      replicaMs: batch * (cfg.warmupMs + cfg.baselineMs + cfg.observationMs + cfg.monitorIntervalMs),
      wallMs: performance.now() - t0,
    };
  } finally {
    await backend.dispose();
  }
}

function trialOutcome(trial: number, j: JudgeReport | null, focusProbe: string): TrialOutcome {
  if (!j) return { trial, status: 'not-injected', failingProbes: [], noDataProbes: [], focusEffect: null, focusOutcome: null, controls: null };
  const focus = j.probes.find((p) => p.id === focusProbe);
  return {
    trial,
    status: 'judged',
    failingProbes: j.probes.filter((p) => p.outcome === 'fail').map((p) => p.id),
    noDataProbes: j.probes.filter((p) => p.outcome === 'no-data').map((p) => p.id),
    // With no verdict (too few windows) the means may still show the effect.
    focusEffect: focus?.effect ?? (focus && focus.controlMean && focus.treatedMean !== null ? (focus.treatedMean - focus.controlMean) / Math.abs(focus.controlMean) : null),
    focusOutcome: focus?.outcome ?? null,
    controls: j.controls,
  };
}
