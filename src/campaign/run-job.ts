import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_BACKEND, prepareBackend } from '../backends/create-backend.js';
import { ChaosEngine } from '../engine/chaos-engine.js';
import { pairedLayout } from '../engine/paired-controls.js';
import type { Scenario } from '../engine/scenario-schema.js';
import { buildNetwork } from '../model/builder.js';
import { resolveModel } from '../model/resolve-model.js';
import type { NetworkSpec } from '../model/spec.js';
import { validateRecording } from '../record/read-recording.js';
import { InputError } from '../util/errors.js';
import { CARRIED_MODEL, jobHash, validateJob, type JobResult, type JobTask } from './job.js';
import type { MeasureValue } from './measures.js';
import type { NetworkCache } from './network-cache.js';
import type { ReferenceCache } from './reference-run.js';
import { pairsByReplica, rateDeviationHz, samePairs, vanRossum } from './spike-measures.js';
import { taskAccuracy } from './task-measure.js';

/** A job that stopped because its process was asked to: not a result, it runs again. */
export class JobInterrupted extends Error {
  override readonly name = 'JobInterrupted';
}

export interface RunJobOptions {
  /** A folder this job may write into (its recordings, a carried model); removed afterwards. */
  workDir: string;
  /** The code version this process runs: a job asking for another is refused. */
  codeVersion: string;
  references: ReferenceCache;
  /** The process's kept networks (a pool process has one): a job copies its network instead of building it. @defaultValue every network is built */
  networks?: NetworkCache;
  signal?: AbortSignal;
}

/**
 * Runs one job: validates it as untrusted input, runs its experiment through
 * the engine (ChaosEngine, journal), and reads the measures it asks for from
 * the journal (verdict, probes, recovery), from the experiment's spike
 * recording against the unfaulted reference run (rate deviation, van Rossum
 * distance), and from a task run (task accuracy). Writes only under
 * `workDir/<hash>`, and removes it.
 *
 * An InputError (a bad job, a fault that targets nothing on this model)
 * becomes an `input-error` result: it would fail the same way anywhere, so it
 * is reported, never retried. Other errors are thrown (the caller retries).
 */
export async function runJob(input: unknown, o: RunJobOptions): Promise<JobResult> {
  let hash = 'invalid';
  try {
    const { job, scenario: parsed, model } = validateJob(input);
    hash = jobHash(job);
    if (job.codeVersion !== o.codeVersion) throw new InputError('job.codeVersion', `this worker runs neurochaos ${o.codeVersion}; the job was submitted by ${job.codeVersion} (run the same build everywhere)`);
    const dir = join(o.workDir, hash.slice(0, 16));
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    try {
      return await measureJob(hash, parsed, model, job.measures, job.task, dir, o);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } catch (e) {
    if (e instanceof InputError) return { hash, status: 'input-error', values: {}, error: e.message };
    throw e;
  }
}

async function measureJob(hash: string, parsed: Scenario, model: NetworkSpec | null, measures: string[], task: JobTask | null, dir: string, o: RunJobOptions): Promise<JobResult> {
  const t0 = performance.now();
  let scenario = parsed;
  if (model) {
    // The engine reads a user model from a file: the carried content, written inside this job's folder.
    const path = join(dir, 'model.json');
    writeFileSync(path, JSON.stringify(model));
    scenario = { ...parsed, model: { ...parsed.model, name: path } };
  }
  const spec = model ?? resolveModel({ model: scenario.model.name, scale: scenario.model.scale, kScale: scenario.model.kScale, background: scenario.model.background });
  // `auto` and the tfjs flavours are resolved and loaded once here, for the experiment, its reference run and its task run alike.
  const backendName = (await prepareBackend({ backend: scenario.backend ?? DEFAULT_BACKEND })).backend ?? DEFAULT_BACKEND;
  const build = o.networks?.build ?? buildNetwork;
  const engine = new ChaosEngine(scenario, { backend: backendName, recordDir: join(dir, 'recordings'), signal: o.signal, buildNetwork: build });
  const journal = await engine.run();
  const e = journal.experiments[0];
  if (journal.status === 'interrupted' || e.status === 'interrupted') throw new JobInterrupted('interrupted');
  const values: Record<string, MeasureValue> = {};
  const notes: string[] = [];
  if (measures.includes('verdict')) values['verdict.pass'] = { value: e.verdict.outcome === 'pass' ? 1 : 0, count: e.verdict.outcome === 'pass' ? 1 : 0, of: 1 };
  if (measures.includes('probes')) {
    for (const p of e.judge?.probes ?? []) {
      if (p.outcome !== 'no-data') values[`probe.${p.id}.fail`] = { value: p.outcome === 'fail' ? 1 : 0, count: p.outcome === 'fail' ? 1 : 0, of: 1 };
      if (p.effect !== null && Number.isFinite(p.effect)) values[`probe.${p.id}.effect`] = { value: p.effect };
    }
  }
  if (measures.includes('recovery-time')) {
    const r = e.recovery;
    values['recovery.recovered'] = { value: r.recovered ? 1 : 0, count: r.recovered ? 1 : 0, of: 1 };
    // Not recovered: censored at the recovery timeout (the longest it was watched).
    if (e.scores.recovery !== null) values['recovery.ms'] = { value: r.recovered && r.simMs !== null ? r.simMs : e.durations.recoveryTimeoutMs };
  }
  if (measures.includes('rate-deviation') || measures.includes('van-rossum')) {
    Object.assign(values, await spikeMeasures(scenario, spec, backendName, e, measures, notes, o));
  }
  if (measures.includes('task-accuracy') && task) Object.assign(values, await taskAccuracy(scenario, spec, backendName, task, build));
  if (measures.includes('wall-clock')) values['wall.job-ms'] = { value: Math.round(performance.now() - t0) };
  return { hash, status: 'ok', values, ...(notes.length ? { notes } : {}) };
}

type Experiment = Awaited<ReturnType<ChaosEngine['run']>>['experiments'][number];

/**
 * Rate deviation and van Rossum distance of the treated replicas against the
 * same replicas of the unfaulted reference run (built with the experiment's
 * layout, so replica b of both shares its drive), from the injection to the
 * end of the experiment (fault and recovery), averaged over the treated
 * replicas (with `judge.controls: baseline`, the fault's chosen replicas).
 * The paired controls of a same-batch layout are left out: never faulted,
 * they would only dilute the mean.
 */
async function spikeMeasures(scenario: Scenario, spec: NetworkSpec, backendName: string, e: Experiment, measures: string[], notes: string[], o: RunJobOptions): Promise<Record<string, MeasureValue>> {
  if (e.fault.injectedAtMs === null) {
    notes.push('spike measures: the fault was never injected');
    return {};
  }
  // A recording the journal does not name (off, or written to a folder that was not kept) cannot be read back.
  if (!e.recording?.path) {
    notes.push('spike measures: the experiment kept no recording (defences.recording is off, or it was not kept)');
    return {};
  }
  const rec = validateRecording(e.recording.path);
  const dt = scenario.dtMs;
  const from = Math.round(e.fault.injectedAtMs / dt);
  const to = rec.endStep;
  const layout = pairedLayout(scenario, scenario.experiments[0]);
  const faulted = pairsByReplica(rec.entries, layout.batch);
  const ref = await o.references.get(scenario, spec, backendName, layout, o.networks?.build);
  const reference = await ref.pairsUntil(to);
  const chosen = layout.mode === 'baseline' ? e.fault.targets.replicas : undefined;
  const replicas = chosen?.length ? [...chosen] : layout.treated;
  // The two runs must agree before the injection; if they do not, the pairing is not what it should be and nothing is measured.
  if (!replicas.every((b) => samePairs(faulted[b], reference[b], 0, from))) {
    notes.push('spike measures: the reference run differs from the experiment before the injection; not measured');
    return {};
  }
  if (!rec.ok) notes.push(`spike measures: the recording has gaps (${rec.gaps.length}); measured on what it holds`);
  const network = ref.backend.network;
  const mean = (f: (b: number) => number) => replicas.reduce((a, b) => a + f(b), 0) / replicas.length;
  const out: Record<string, MeasureValue> = {};
  if (to <= from) return out;
  if (measures.includes('rate-deviation')) out['rate-deviation.hz'] = { value: mean((b) => rateDeviationHz(faulted[b], reference[b], network, from, to)) };
  if (measures.includes('van-rossum')) out['van-rossum.per-neuron'] = { value: mean((b) => vanRossum(faulted[b], reference[b], network, from, to)) };
  return out;
}

export { CARRIED_MODEL };
