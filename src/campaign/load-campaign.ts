import { DEFAULT_PRECISION } from '../backends/precision.js';
import { readFileSync, statSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import type { FaultSpec } from '../chaos/fault-spec.js';
import { ChaosEngine } from '../engine/chaos-engine.js';
import { pairedLayout, scenarioNotices, trialsOf, type PairedLayout } from '../engine/paired-controls.js';
import { planTargets } from '../engine/plan-targets.js';
import { buildNetwork } from '../model/builder.js';
import type { Network } from '../model/network.js';
import { validateNetworkSpec } from '../model/spec-schema.js';
import { validateScenario } from '../engine/load-scenario.js';
import { parseUserYaml } from '../io/parse-yaml.js';
import { BUILTIN_MODELS, resolveModel } from '../model/resolve-model.js';
import { loadModelFile } from '../model/load-model-file.js';
import { InputError } from '../util/errors.js';
import { checkNesting } from '../util/nesting-guard.js';
import { toInputError } from '../util/zod-errors.js';
import { campaignSchema, MAX_CAMPAIGN_JOBS, type CampaignFile, type SweepSpec } from './campaign-schema.js';
import { codeVersion } from './code-version.js';
import { crossProduct, parseAxis, withField, type Axis, type AxisValue } from './grid.js';
import { CARRIED_MODEL, JOB_FORMAT, jobHash, type CampaignJob } from './job.js';

export const MAX_CAMPAIGN_BYTES = 4 * 1024 * 1024;

/** What a job stands for in the campaign: its sweep, its point of the grid, backend, defences, trial. Not part of the job's hash. */
export interface JobLabels {
  sweep: string;
  point: Record<string, AxisValue>;
  backend: string;
  defences: 'on' | 'off';
  seed: number;
}

export interface JobEntry {
  hash: string;
  job: CampaignJob;
  labels: JobLabels;
}

export interface SweepPlan {
  spec: SweepSpec;
  axes: Axis[];
  /** The axis curves are drawn against (null: the sweep has no numeric axis). */
  x: Axis | null;
}

export interface Campaign {
  file: string;
  spec: CampaignFile;
  sweeps: SweepPlan[];
  jobs: JobEntry[];
  /** A model file's path (null: built-in). */
  modelFile: string | null;
  /** What changed meaning in the file but still loads (the deprecated `batch`), one line each: the CLI prints them on stderr. */
  notices: string[];
}

/** Reads, validates and expands a campaign file; every error is an InputError naming `<file>.<field>`. */
export function loadCampaign(path: string): Campaign {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError('campaign', `"${path}" is not a file`);
    if (st.size > MAX_CAMPAIGN_BYTES) throw new InputError('campaign', `"${path}" is ${st.size} bytes; the most is ${MAX_CAMPAIGN_BYTES}`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('campaign', `cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  checkNesting(text, 'campaign', `"${path}"`);
  let data: unknown;
  try {
    data = parseUserYaml(text);
  } catch (e) {
    throw new InputError('campaign', `"${path}" is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return expandCampaign(data, path);
}

/** Looks like a campaign (has sweeps), not a scenario: `validate` uses it to pick the checker. */
export function looksLikeCampaign(path: string): boolean {
  try {
    const data = parseUserYaml(readFileSync(path, 'utf8')) as Record<string, unknown> | null;
    return data !== null && typeof data === 'object' && 'sweeps' in data && !('experiments' in data);
  } catch {
    return false;
  }
}

/** Validates a parsed campaign and expands it into jobs (`root` names the file in errors). */
export function expandCampaign(input: unknown, root: string): Campaign {
  const parsed = campaignSchema.safeParse(input);
  if (!parsed.success) throw toInputError(parsed.error, root, input);
  const c = parsed.data;
  const notices = checkJudgeFields(c, root);
  const names = new Set<string>();
  c.sweeps.forEach((s, i) => {
    if (names.has(s.name)) throw new InputError(`${root}.sweeps[${i}].name`, `duplicate sweep name "${s.name}"`);
    names.add(s.name);
  });
  const builtin = (BUILTIN_MODELS as readonly string[]).includes(c.model.name);
  const modelFile = builtin ? null : resolve(dirname(root), c.model.name);
  const modelContent = modelFile ? readModelContent(modelFile, `${root}.model.name`) : null;
  const sweeps: SweepPlan[] = c.sweeps.map((s, i) => {
    const axes = Object.entries(s.grid).map(([k, v]) => parseAxis(k, v, `${root}.sweeps[${i}].grid.${k}`));
    let x: Axis | null = null;
    if (s.x !== undefined) {
      x = axes.find((a) => a.key === s.x) ?? null;
      if (!x) throw new InputError(`${root}.sweeps[${i}].x`, `must name a grid axis (${axes.map((a) => a.key).join(', ') || 'the grid is empty'}); got "${s.x}"`);
    } else x = [...axes].reverse().find((a) => a.numeric) ?? null;
    return { spec: s, axes, x };
  });
  const total = sweeps.reduce((n, s) => n + s.axes.reduce((m, a) => m * a.values.length, 1), 0) * c.backends.length * c.defences.length * c.trials;
  if (total > MAX_CAMPAIGN_JOBS) throw new InputError(`${root}.sweeps`, `expands to ${total} jobs; the most is ${MAX_CAMPAIGN_JOBS} (split the campaign)`);
  const version = codeVersion();
  // Fault targets are resolved on the campaign's network (first seed) for every point: a point whose fault acts on nothing is refused up front.
  let network: Network | null = null;
  const networkOf = () => (network ??= buildNetwork(modelContent ? validateNetworkSpec(modelContent, `${root}.model`) : resolveModel({ model: c.model.name, scale: c.model.scale, kScale: c.model.kScale, background: c.model.background }), { seed: c.seed, dtMs: c.dtMs }));
  const jobs: JobEntry[] = [];
  sweeps.forEach((s, i) => {
    for (const point of crossProduct(s.axes)) {
      let fault: Record<string, unknown> = s.spec.fault;
      for (const [k, v] of Object.entries(point)) fault = withField(fault, k, v);
      for (const backend of c.backends) {
        checkPoint(c, fault, backend, modelFile, root, i, point, networkOf);
        for (const defences of c.defences) {
          for (let t = 0; t < c.trials; t++) {
            const seed = c.seed + t;
            const job = normalized<CampaignJob>({
              format: JOB_FORMAT,
              codeVersion: version,
              scenario: jobScenario(c, s.spec.name, fault, backend, defences, seed, builtin ? null : CARRIED_MODEL),
              model: modelContent,
              measures: [...c.measures].sort(),
              task: c.measures.includes('task-accuracy') ? c.task : null,
            });
            jobs.push({ hash: jobHash(job), job, labels: { sweep: s.spec.name, point, backend, defences, seed } });
          }
        }
      }
    }
  });
  return { file: root, spec: c, sweeps, jobs, modelFile, notices };
}

/**
 * The campaign's older replica fields, as the scenario treats its own (docs/verdicts.md):
 * `controls` (a count of unfaulted replicas) is refused, naming judge.controls and judge.trials;
 * `batch` is read as judge.trials (jobJudge) with the scenario's notice, and refused beside judge.trials.
 * @returns the notices (empty without `batch`)
 * @throws InputError `<root>.controls`, `<root>.batch`
 */
function checkJudgeFields(c: CampaignFile, root: string): string[] {
  if (c.controls !== undefined) throw new InputError(`${root}.controls`, 'is replaced by judge.controls (paired | baseline) and judge.trials (paired trials per job): controls are no longer a count of unfaulted replicas but a counterfactual twin of each treated one; see docs/verdicts.md and docs/campaigns.md');
  if (c.batch !== undefined && c.judge.trials !== undefined) throw new InputError(`${root}.batch`, 'is deprecated and cannot be given beside judge.trials (which replaces it); remove batch');
  return scenarioNotices({ judge: c.judge, batch: c.batch }).map((n) => `${root}: ${n}`);
}

/**
 * The judge block of every job: the campaign's (the scenario's schema, its defaults filled in), with
 * `trials` always written out (from the deprecated `batch` as the scenario reads it, trialsOf; else 1),
 * so that a file with `batch: 2` and one without give the same jobs and hashes.
 */
export function jobJudge(c: Pick<CampaignFile, 'judge' | 'batch'>): CampaignFile['judge'] & { trials: number } {
  return { ...c.judge, trials: trialsOf({ judge: c.judge, batch: c.batch }) };
}

/** The replica layout of a job's experiment (its fault's kind, the campaign's judge): what the experiment, its reference run and its task run simulate. */
export function jobLayout(jobScenario: { judge?: unknown; experiments?: unknown }): PairedLayout {
  const judge = jobScenario.judge as { controls: 'paired' | 'baseline'; trials: number };
  const [e] = jobScenario.experiments as { fault: Record<string, unknown> }[];
  return pairedLayout({ judge } as Parameters<typeof pairedLayout>[0], { fault: e.fault });
}

/** JSON-clean (no undefined, no prototypes): the job as a queue or another process will see it, hashed as such. */
function normalized<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

/** The scenario of one job: the campaign's model and experiment, the sweep's fault at one point, one backend, defence setting and seed. */
export function jobScenario(c: CampaignFile, id: string, fault: Record<string, unknown>, backend: string, defences: 'on' | 'off', seed: number, modelName: string | null): Record<string, unknown> {
  const e = c.experiment;
  return {
    title: 'campaign job',
    seed,
    model: modelName ? { name: modelName } : c.model,
    backend,
    workers: c.workers,
    // Part of the job, so of its hash. The default (float64) is left out like an absent field (undefined drops out in
    // normalized()): the same simulation hashes alike whether the file names it or not, and as before the field existed.
    precision: c.precision === DEFAULT_PRECISION ? undefined : c.precision,
    dtMs: c.dtMs,
    defaults: { warmupMs: e.warmupMs, baselineMs: e.baselineMs, monitorIntervalMs: e.monitorIntervalMs, holdMs: e.holdMs, slaMs: e.slaMs, rollback: e.rollback },
    // Replicas come from the judge (controls, trials) and the fault's kind: never a top-level batch or controls (refused by the engine).
    judge: jobJudge(c),
    // Recordings are read back at once, never after a crash: no fsync. Off: the engine's raw variant (withDefencesOff).
    defences: defences === 'on' ? { fsync: 'none' } : { guards: false, scrub: false, recording: 'raw', degrade: false, fsync: 'none' },
    experiments: [{ id, fault, observationMs: e.observationMs, recoveryTimeoutMs: e.recoveryTimeoutMs }],
  };
}

/** The model file's content as parsed (what a job carries), after validating it as a model file. */
function readModelContent(path: string, field: string): unknown {
  loadModelFile(path, field);
  const text = readFileSync(path, 'utf8');
  return extname(path).toLowerCase() === '.json' ? JSON.parse(text) : parseUserYaml(text);
}

/**
 * Checks one point of a sweep as the engine will: the scenario against its
 * schema and the fault against its kind's schema. Errors are renamed to the
 * campaign's fields: `experiments[0].fault.fraction` becomes the grid axis
 * `sweeps[i].grid.fraction` (with the point) when swept, else `sweeps[i].fault.fraction`.
 */
function checkPoint(c: CampaignFile, fault: Record<string, unknown>, backend: string, modelFile: string | null, root: string, i: number, point: Record<string, AxisValue>, networkOf: () => Network): void {
  const scenarioInput = jobScenario(c, c.sweeps[i].name, fault, backend, 'on', c.seed, modelFile);
  try {
    const scenario = validateScenario(scenarioInput, 'job');
    const engine = new ChaosEngine(scenario, { backend });
    const [planned] = engine.plan(false);
    // Targets are resolved on the treated backend's replicas, as the engine will (its layout: 2 x trials for a per-replica fault with paired controls).
    planTargets(planned.fault as FaultSpec, c.sweeps[i].name, networkOf(), planned.layout.batch, engine.workerThreadsOf(backend), c.seed, { outputs: { recording: scenario.defences.recording }, root: 'experiments[0].fault' });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    throw renamed(e, root, i, point);
  }
}

function renamed(e: InputError, root: string, i: number, point: Record<string, AxisValue>): InputError {
  const text = e.message.slice(e.field.length + 2);
  const field = e.field.replace(/^job\./, '');
  const m = /^experiments\[0\]\.fault(?:\.(.*))?$/.exec(field);
  if (m) {
    const sub = m[1] ?? '';
    const axis = Object.keys(point).find((k) => sub === k || sub.startsWith(`${k}.`) || sub.startsWith(`${k}[`));
    const at = Object.keys(point).length ? ` (at ${Object.entries(point).map(([k, v]) => `${k}=${v}`).join(', ')})` : '';
    if (axis) return new InputError(`${root}.sweeps[${i}].grid.${axis}`, `${text}${at}`);
    return new InputError(`${root}.sweeps[${i}].fault${sub ? `.${sub}` : ''}`, `${text}${at}`);
  }
  const exp = /^experiments\[0\]\.(.*)$/.exec(field);
  if (exp) return new InputError(`${root}.experiment.${exp[1]}`, text);
  const def = /^defaults\.(.*)$/.exec(field);
  if (def) return new InputError(`${root}.experiment.${def[1]}`, text);
  if (['scale', 'kScale', 'background'].includes(field)) return new InputError(`${root}.model.${field}`, text);
  if (field === 'model') return new InputError(`${root}.model.name`, text);
  return new InputError(`${root}.${field}`, text);
}
