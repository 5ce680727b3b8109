import { faultKind } from '../chaos/fault-kinds.js';
import { MAX_BATCH } from '../config/settings.js';
import { InputError } from '../util/errors.js';
import type { ExperimentSpec, Scenario } from './scenario-schema.js';

/**
 * How an experiment's replicas are laid out for the judge (docs/verdicts.md):
 *
 * - `paired`, per-replica kind (storms, neuron faults): one backend of
 *   `2 * trials` replicas; control k is replica k, treated k is replica
 *   `trials + k`, and both draw noise stream k (the replica-to-noise-stream
 *   map), so they share connectivity, seed, initial state and Poisson drive
 *   and differ only by the fault, which targets the treated replicas.
 * - `paired`, shared kind (weights, partitions, workers, allocator, disk,
 *   threads: what every replica of a backend shares): the treated backend runs
 *   `trials` replicas and a second backend, built the same way from the same
 *   seed, runs the `trials` control replicas unfaulted in lockstep.
 * - `baseline`: `trials` treated replicas, judged against their own
 *   baseline before injection (no control replicas).
 */
export interface PairedLayout {
  mode: 'paired' | 'baseline';
  /** Paired trials (control k, treated k); in baseline mode, the treated replicas. */
  trials: number;
  /** Where the controls run: in the treated backend's batch, in a backend of their own, or nowhere (baseline). */
  controlRun: 'same-batch' | 'separate-run' | null;
  /** Replicas of the treated backend and its noise-stream map. */
  batch: number;
  noiseStreams: number[];
  /** Treated replicas (of the treated backend). */
  treated: number[];
  /** Control replicas: of the treated backend (same-batch) or of the control backend (separate-run); empty in baseline mode. */
  controls: number[];
  /** Replicas of the control backend (separate-run), else null. */
  controlBatch: number | null;
}

const range = (n: number, from = 0) => Array.from({ length: n }, (_, k) => from + k);

type ScenarioJudge = Pick<Scenario, 'judge' | 'batch'>;
type ExperimentJudge = Pick<ExperimentSpec, 'judge'>;

/** The controls mode of an experiment: its own `judge.controls`, else the scenario's. */
export function controlsOf(scenario: ScenarioJudge, spec?: ExperimentJudge): 'paired' | 'baseline' {
  return spec?.judge?.controls ?? scenario.judge.controls;
}

/**
 * Trials an experiment asks for: its own `judge.trials`, else the scenario's;
 * else, from the deprecated top-level `batch` (replicas, half kept as
 * controls): floor(batch / 2) pairs in paired mode (at least 1), batch
 * treated replicas in baseline mode; else 1.
 */
export function trialsOf(scenario: ScenarioJudge, spec?: ExperimentJudge): number {
  const trials = spec?.judge?.trials ?? scenario.judge.trials;
  if (trials !== undefined) return trials;
  if (scenario.batch !== undefined) return controlsOf(scenario, spec) === 'paired' ? Math.max(1, Math.floor(scenario.batch / 2)) : scenario.batch;
  return 1;
}

/**
 * The replica layout of one experiment (`spec`: its fault's kind and its own judge settings) of `scenario`.
 * @throws InputError (`judge.trials`) when the replicas it needs exceed MAX_BATCH
 */
export function pairedLayout(scenario: ScenarioJudge, spec: ExperimentJudge & { fault: Record<string, unknown> }): PairedLayout {
  const kind = String(spec.fault.kind);
  const mode = controlsOf(scenario, spec);
  const trials = trialsOf(scenario, spec);
  if (mode === 'baseline') return { mode, trials, controlRun: null, batch: trials, noiseStreams: range(trials), treated: range(trials), controls: [], controlBatch: null };
  // An unknown kind is refused by planning with the list of kinds; lay it out as a shared one meanwhile.
  const perReplica = faultKind(kind)?.perReplica ?? false;
  if (perReplica) {
    if (2 * trials > MAX_BATCH) throw new InputError('judge.trials', `must be at most ${Math.floor(MAX_BATCH / 2)} with paired controls of a per-replica fault (${kind}): each trial runs a control and a treated replica, at most ${MAX_BATCH} (got ${trials})`);
    return { mode, trials, controlRun: 'same-batch', batch: 2 * trials, noiseStreams: [...range(trials), ...range(trials)], treated: range(trials, trials), controls: range(trials), controlBatch: null };
  }
  return { mode, trials, controlRun: 'separate-run', batch: trials, noiseStreams: range(trials), treated: range(trials), controls: range(trials), controlBatch: trials };
}

/**
 * What changed meaning in a scenario that still loads, one line each (the
 * CLI prints them on stderr before running): the top-level `batch`.
 */
export function scenarioNotices(scenario: ScenarioJudge): string[] {
  if (scenario.batch === undefined) return [];
  const read = scenario.judge.controls === 'paired' ? `judge.trials: ${trialsOf(scenario)} (floor(batch / 2) control/treated pairs, as its half-controls split gave)` : `judge.trials: ${trialsOf(scenario)} treated replicas`;
  return [`batch is deprecated (the engine lays out replicas from judge.controls and judge.trials): batch: ${scenario.batch} is read as ${read}; write judge.trials instead`];
}
