import { checkPrecisionSupported, resolvePrecision, type Precision } from '../backends/precision.js';
import { scenarioBackendOptions } from './defence-options.js';
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BACKENDS, createBackend, DEFAULT_BACKEND, prepareBackend } from '../backends/create-backend.js';
import { defaultWorkerCount } from '../config/settings.js';
import { Allocator } from '../memory/allocator.js';
import { buildNetwork, buildNetworkAsync } from '../model/builder.js';
import { resolveModel } from '../model/resolve-model.js';
import type { Network } from '../model/network.js';
import type { NetworkSpec } from '../model/spec.js';
import { check, InputError, InterruptedError } from '../util/errors.js';
import { InputErrors } from '../util/input-errors.js';
import { runExperiment } from './experiment-runner.js';
import { planFault } from './fault-plan.js';
import { planTargets } from './plan-targets.js';
import type { FaultTargets } from '../chaos/fault.js';
import { JOURNAL_FORMAT_VERSION, type ExperimentRecord, type Journal, type RunStatus } from './journal.js';
import { notRunRecord } from './phases/not-run.js';
import { runVerdict } from './verdict.js';
import type { Alert } from './alerts.js';
import { buildResilienceReport } from './resilience-report.js';
import type { Scenario } from './scenario-schema.js';
import { checkScaledSteps } from './scenario-times.js';
import { pairedLayout, trialsOf, type PairedLayout } from './paired-controls.js';
import type { SimulationBackend } from '../backends/backend.js';
import { experimentProbes } from './judge/experiment-probes.js';

export interface EngineOptions {
  /** Overrides the scenario's backend / seed. */
  /** A backend name (see BACKEND_NAMES: workers, cpu, tfjs and its flavours, auto). */
  backend?: string;
  workers?: number;
  seed?: number;
  /** Overrides the scenario's `precision` (the LIF update's arithmetic, src/backends/precision.ts). */
  precision?: Precision;
  /** Multiplies observation, recovery timeout, fault durations and the SLA (for quick runs). @defaultValue 1 */
  timeScale?: number;
  signal?: AbortSignal;
  scenarioFile?: string;
  /** Folder for the experiments' spike recordings (one file each), kept after the run and named in the journal. @defaultValue a temporary folder, removed after the run: the journal then names no file (`recording.removed`) */
  recordDir?: string;
  /** Builds the experiments' networks (same contract as buildNetwork, which it defaults to): a campaign's pool process passes a cache of built networks (src/campaign/network-cache.ts). Each call must return a network of its own, since faults mutate it. */
  buildNetwork?: typeof buildNetwork;
}

export interface EngineEvents {
  'experiment-start': [{ index: number; total: number; id: string; kind: string }];
  progress: [{ index: number; id: string; doneMs: number; totalMs: number; phase: string }];
  'experiment-end': [{ index: number; record: ExperimentRecord }];
  alert: [{ index: number; id: string; alert: Alert }];
}

export interface PlannedExperiment {
  id: string;
  kind: string;
  fault: unknown;
  observationMs: number;
  recoveryTimeoutMs: number;
  /** Present when plan() is asked to resolve targets (a dry run). */
  targets?: FaultTargets | string;
  /** Its replicas: paired trials, where the controls run, treated and control replicas (docs/verdicts.md). */
  layout: PairedLayout;
}

/**
 * Runs a scenario's experiments one after another, each on its own copy of
 * the network and its own simulation, and writes one journal. The library
 * face of `neurochaos run`.
 */
export class ChaosEngine extends EventEmitter<EngineEvents> {
  readonly timeScale: number;

  constructor(readonly scenario: Scenario, readonly options: EngineOptions = {}) {
    super();
    this.timeScale = options.timeScale ?? 1;
    check(Number.isFinite(this.timeScale) && this.timeScale > 0 && this.timeScale <= 100, 'timeScale', () => `must be a number in (0, 100] (got ${this.timeScale})`);
  }

  private get seed(): number {
    return this.options.seed ?? this.scenario.seed;
  }

  /** The precision asked for (option, else scenario; undefined: the backends' default, float64). */
  get precision(): Precision | undefined {
    return this.options.precision ?? this.scenario.precision;
  }

  /**
   * Validates every experiment's fault and returns the plan, without
   * simulating or injecting anything; with `resolve`, also builds the network
   * and resolves each fault's targets as injection will.
   */
  plan(resolve = false): PlannedExperiment[] {
    const spec = resolveModel(this.modelChoice());
    const network = resolve ? (this.options.buildNetwork ?? buildNetwork)(spec, { seed: this.seed, dtMs: this.scenario.dtMs }) : null;
    return this.planOn(spec, network);
  }

  /**
   * plan(), with the network (for `resolve`) built by buildNetworkAsync: the
   * engine's signal stops a long build (seconds at full scale) there.
   * @throws InputError as plan() does
   * @throws InterruptedError (phase `build`) when the signal is aborted during the build
   */
  async planAsync(resolve = false): Promise<PlannedExperiment[]> {
    const spec = resolveModel(this.modelChoice());
    return this.planOn(spec, resolve ? await this.buildNetworkOf(spec) : null);
  }

  /**
   * The scenario's network: the caller's own builder if it gave one (sync),
   * else buildNetworkAsync, which the engine's signal stops.
   * @throws InterruptedError (phase `build`) when the signal is aborted during the build
   */
  private async buildNetworkOf(spec: NetworkSpec): Promise<Network> {
    const buildOptions = { seed: this.seed, dtMs: this.scenario.dtMs };
    return this.options.buildNetwork ? this.options.buildNetwork(spec, buildOptions) : buildNetworkAsync(spec, { ...buildOptions, signal: this.options.signal });
  }

  /** The plan's checks and targets on a built network (null: targets not resolved). */
  private planOn(spec: NetworkSpec, network: Network | null): PlannedExperiment[] {
    const backendName = this.options.backend ?? this.scenario.backend ?? DEFAULT_BACKEND;
    const workers = this.workerThreadsOf(backendName);
    // A precision the backend does not compute in is bad input before anything runs (auto is resolved later; its backend checks then).
    const precision = resolvePrecision(this.precision);
    if (BACKENDS.has(backendName)) checkPrecisionSupported(precision, backendName, BACKENDS.get(backendName).capabilities.precisions ?? ['float64']);
    // Every experiment is checked, so that validate and --dry-run report every bad fault at once.
    const errors = new InputErrors();
    const plans = this.scenario.experiments.map((e, i) => errors.check(() => {
      const layout = layoutOf(this.scenario, e, i);
      const batch = layout.batch;
      const target = (e.fault as { target?: { replicas?: unknown } }).target;
      // The engine picks the treated replicas of a paired experiment; a scenario's own choice could hit a control.
      if (layout.controlRun === 'same-batch' && target?.replicas !== undefined) throw new InputError(`experiments[${i}].fault.target.replicas`, `cannot be chosen with paired controls (judge.controls: paired): the engine faults the treated replica of each of the ${layout.trials} trial(s); use judge.trials for more, or judge.controls: baseline to choose replicas yourself`);
      const f = planFault(e.fault, this.timeScale, layout.controlRun === 'same-batch' ? layout.treated : null, `experiments[${i}].fault`);
      checkScaledSteps(e, f, this.timeScale, this.scenario.dtMs, i);
      experimentProbes(this.scenario, e, spec.populations.map((p) => p.name));
      const planned: PlannedExperiment = { id: e.id, kind: f.kind, fault: f, observationMs: e.observationMs * this.timeScale, recoveryTimeoutMs: e.recoveryTimeoutMs * this.timeScale, layout };
      if (network) {
        try {
          // The recording mode tells planning whether a disk fault has any file to act on.
          planned.targets = planTargets(f, f.id ?? e.id, network, batch, workers, this.seed, { outputs: { recording: this.scenario.defences.recording, recordDir: this.options.recordDir } });
        } catch (err) {
          // Target errors name the fault's fields (`fault.target...`); say which experiment's fault.
          if (err instanceof InputError && err.field.startsWith('fault')) throw new InputError(`experiments[${i}].${err.field}`, err.message.slice(err.field.length + 2));
          throw err;
        }
      }
      return planned;
    }));
    errors.throwIfAny();
    return plans as PlannedExperiment[];
  }

  /**
   * Worker threads a run on `backendName` gets: the asked-for count (or one
   * per core) where the backend's capability sheet allows more than one
   * thread, else 1. `auto` before it is resolved counts as single-threaded.
   */
  workerThreadsOf(backendName: string): number {
    const multiThreaded = BACKENDS.has(backendName) && BACKENDS.get(backendName).capabilities.maxWorkers > 1;
    return multiThreaded ? (this.options.workers ?? this.scenario.workers ?? defaultWorkerCount()) : 1;
  }

  private modelChoice() {
    const m = this.scenario.model;
    return { model: m.name, scale: m.scale, kScale: m.kScale, background: m.background };
  }

  async run(): Promise<Journal> {
    // Targets are resolved before anything runs: a fault naming what the model lacks is bad input, not a failed
    // experiment. Interrupted in this build, the run goes on to journal every experiment as not run.
    try {
      await this.planAsync(true);
    } catch (e) {
      if (!(e instanceof InterruptedError)) throw e;
    }
    const startedAt = new Date().toISOString();
    const spec = resolveModel(this.modelChoice());
    // tfjs flavours load asynchronously and `auto` is resolved here, once for every experiment.
    const prepared = await prepareBackend({ backend: this.options.backend ?? this.scenario.backend ?? DEFAULT_BACKEND });
    const backendName = prepared.backend ?? DEFAULT_BACKEND;
    const workers = this.workerThreadsOf(backendName);
    const experiments: ExperimentRecord[] = [];
    let neurons = 0;
    let status: RunStatus = 'completed';
    // Without a recordDir the recordings go to a temporary folder that is removed after the run (below), so the journal does not name them.
    const temporaryDir = this.scenario.defences.recording !== 'off' && this.options.recordDir === undefined ? mkdtempSync(join(tmpdir(), 'neurochaos-recordings-')) : undefined;
    const recordDir = this.scenario.defences.recording === 'off' ? undefined : (this.options.recordDir ?? temporaryDir);
    try {
    for (let i = 0; i < this.scenario.experiments.length; i++) {
      // A turn of the event loop first: a Ctrl-C that arrived during the last synchronous stretch is seen
      // here, so the experiment is journaled as not started rather than as interrupted in its build.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.options.signal?.aborted || status === 'interrupted') {
        // The experiments the interruption kept from starting are journaled as not run, with nothing measured.
        status = 'interrupted';
        experiments.push(notRunRecord(this.scenario, this.scenario.experiments[i], this.timeScale, 'not run: the run was interrupted before this experiment started'));
        continue;
      }
      const e = this.scenario.experiments[i];
      this.emit('experiment-start', { index: i, total: this.scenario.experiments.length, id: e.id, kind: String(e.fault.kind) });
      const layout = pairedLayout(this.scenario, e);
      // Each experiment gets its own network: faults on weights never leak into the next one. A separate
      // control run gets another, built from the same spec and seed (the same connectivity), and its own
      // allocator (allocator faults squeeze the treated run's alone).
      // The default build gives the event loop turns, so Ctrl-C during a long build (seconds at full scale)
      // stops it there: the experiment is then journaled as not run (InterruptedError below).
      const build = async (batch: number) => {
        const network = await this.buildNetworkOf(spec);
        const allocator = new Allocator();
        const { backend } = createBackend(network, { backend: backendName, workers, batch, noiseStreams: layout.noiseStreams, seed: this.seed, allocator, ...scenarioBackendOptions(this.scenario), precision: this.precision });
        return { backend, allocator, neurons: network.neuronCount };
      };
      const interruptedInBuild = (err: unknown): boolean => {
        if (!(err instanceof InterruptedError)) return false;
        status = 'interrupted';
        const record = notRunRecord(this.scenario, e, this.timeScale, 'not run: the run was interrupted while its network was being built');
        experiments.push(record);
        this.emit('experiment-end', { index: i, record });
        return true;
      };
      let treated: Awaited<ReturnType<typeof build>>;
      try {
        treated = await build(layout.batch);
      } catch (err) {
        if (interruptedInBuild(err)) continue;
        throw err;
      }
      neurons = treated.neurons;
      let control: { backend: SimulationBackend; allocator: Allocator } | undefined;
      try {
        try {
          if (layout.controlBatch !== null) control = await build(layout.controlBatch);
        } catch (err) {
          // The finally below disposes the treated backend.
          if (interruptedInBuild(err)) continue;
          throw err;
        }
        const record = await runExperiment({
          scenario: { ...this.scenario, seed: this.seed },
          spec: e,
          index: i,
          backend: treated.backend,
          allocator: treated.allocator,
          layout,
          control,
          timeScale: this.timeScale,
          signal: this.options.signal,
          recordDir,
          onProgress: (doneMs, totalMs, phase) => this.emit('progress', { index: i, id: e.id, doneMs, totalMs, phase }),
          onAlert: (alert) => this.emit('alert', { index: i, id: e.id, alert }),
        });
        experiments.push(record);
        this.emit('experiment-end', { index: i, record });
        if (record.status === 'interrupted') status = 'interrupted';
        else if (record.status !== 'completed' && status === 'completed') status = record.status === 'aborted' ? 'aborted' : 'failed';
      } finally {
        await treated.backend.dispose();
        await control?.backend.dispose();
      }
    }
    } finally {
      if (temporaryDir !== undefined) rmSync(temporaryDir, { recursive: true, force: true });
    }
    if (temporaryDir !== undefined) for (const e of experiments) if (e.recording) e.recording = { ...e.recording, path: undefined, removed: true };
    return {
      formatVersion: JOURNAL_FORMAT_VERSION,
      tool: { name: 'neurochaos', version: packageVersion(), node: process.version },
      scenario: { title: this.scenario.title, file: this.options.scenarioFile, seed: this.seed, timeScale: this.timeScale, backend: backendName, backendSelection: prepared.selection, workers, batch: trialsOf(this.scenario), model: this.scenario.model, neurons, dtMs: this.scenario.dtMs, defences: this.scenario.defences, ...(this.precision === undefined ? {} : { precision: this.precision }) },
      status,
      verdict: runVerdict({ status, experiments }),
      startedAt,
      endedAt: new Date().toISOString(),
      experiments,
      report: buildResilienceReport(experiments),
    };
  }
}

/**
 * True when the run's verdict is `pass`: it completed and every experiment
 * passed (the steady state held before, during and after its fault, every
 * judged probe passed, recovery met the SLA and nothing recorded was lost;
 * judged afresh for a journal without verdicts).
 */
export function journalPassed(j: Journal): boolean {
  return runVerdict(j).outcome === 'pass';
}

/** An experiment's replica layout; a trials error names the experiment's field when the count is its own. */
function layoutOf(scenario: Scenario, e: Scenario['experiments'][number], i: number): PairedLayout {
  try {
    return pairedLayout(scenario, e);
  } catch (err) {
    if (err instanceof InputError && err.field === 'judge.trials' && e.judge?.trials !== undefined) throw new InputError(`experiments[${i}].judge.trials`, err.message.slice(err.field.length + 2));
    throw err;
  }
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
