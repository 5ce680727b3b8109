import { z } from 'zod';
import { validateScenario } from '../engine/load-scenario.js';
import type { Scenario } from '../engine/scenario-schema.js';
import { BUILTIN_MODELS } from '../model/resolve-model.js';
import { validateNetworkSpec } from '../model/spec-schema.js';
import type { NetworkSpec } from '../model/spec.js';
import { InputError } from '../util/errors.js';
import { boundedNumber } from '../util/zod-errors.js';
import { toInputError } from '../util/zod-errors.js';
import { contentHash } from './canonical-json.js';
import { MEASURES, type MeasureName, type MeasureValue } from './measures.js';

export const JOB_FORMAT = 1;

/** The model name a job's scenario gives when the job carries the model itself (never a path: a worker reads no file a job names). */
export const CARRIED_MODEL = 'campaign-model';

/**
 * Everything a worker needs to run one job, and nothing that exists only on
 * the submitter: the scenario of one experiment (seed, backend, defences,
 * the fault with the point's values), a user model's content (not its path),
 * the measures, the task settings. Its canonical JSON's SHA-256 is the job's
 * hash, under which results are stored and resumed; `codeVersion` is part of it.
 */
export interface CampaignJob {
  format: typeof JOB_FORMAT;
  codeVersion: string;
  /** A scenario (the engine's schema) with exactly one experiment. */
  scenario: Record<string, unknown>;
  /** A model file's content (null: the scenario names a built-in model). */
  model: unknown;
  measures: MeasureName[];
  /** The task of `task-accuracy` (null when not measured). */
  task: JobTask | null;
}

export interface JobTask {
  warmupMs: number;
  trainRounds: number;
  testRounds: number;
  classes?: number;
  inputPopulations?: string[];
  readoutPopulations?: string[];
}

/** A job's outcome: its values by key (see keyInfo), or the input error that makes it fail wherever it runs. */
export interface JobResult {
  hash: string;
  status: 'ok' | 'input-error';
  values: Record<string, MeasureValue>;
  error?: string;
  /** Something measured that could not be (a spike measure without its pairing), in words. */
  notes?: string[];
}

const taskSchema = z
  .object({
    warmupMs: boundedNumber(0, 1e7),
    trainRounds: boundedNumber(1, 10_000, { integer: true }),
    testRounds: boundedNumber(1, 10_000, { integer: true }),
    classes: boundedNumber(2, 64, { integer: true }).optional(),
    inputPopulations: z.array(z.string().min(1).max(200)).min(1).max(64).optional(),
    readoutPopulations: z.array(z.string().min(1).max(200)).min(1).max(64).optional(),
  })
  .strict();

const jobSchema = z
  .object({
    format: z.literal(JOB_FORMAT),
    codeVersion: z.string().min(1).max(200),
    scenario: z.record(z.unknown()),
    model: z.unknown(),
    measures: z.array(z.enum(MEASURES)).min(1).max(MEASURES.length),
    task: taskSchema.nullable(),
  })
  .strict();

/** A job checked as untrusted input: the job's shape, its scenario against the engine's schema, its model against the model schema. */
export interface ValidJob {
  job: CampaignJob;
  scenario: Scenario;
  /** The carried model (null: built-in). */
  model: NetworkSpec | null;
}

/**
 * Validates a job that came from a queue (or anywhere): it is treated like a
 * campaign file from a stranger. The scenario must have one experiment and
 * name a built-in model or the carried one (never a path); a carried model
 * is validated like a model file. Errors are InputErrors naming `job.<field>`.
 */
export function validateJob(input: unknown): ValidJob {
  const parsed = jobSchema.safeParse(input);
  if (!parsed.success) throw toInputError(parsed.error, 'job', input);
  const job = parsed.data as CampaignJob;
  const scenario = validateScenario(job.scenario, 'job.scenario');
  if (scenario.experiments.length !== 1) throw new InputError('job.scenario.experiments', `a job runs one experiment (got ${scenario.experiments.length})`);
  const name = scenario.model.name;
  let model: NetworkSpec | null = null;
  if (job.model === null || job.model === undefined) {
    if (!(BUILTIN_MODELS as readonly string[]).includes(name)) throw new InputError('job.scenario.model.name', `must be a built-in model (${BUILTIN_MODELS.join(', ')}) when the job carries no model; a job never names a file (got ${JSON.stringify(name)})`);
  } else {
    if (name !== CARRIED_MODEL) throw new InputError('job.scenario.model.name', `must be "${CARRIED_MODEL}" when the job carries its model (got ${JSON.stringify(name)})`);
    model = validateNetworkSpec(job.model, 'job.model');
  }
  if (job.measures.includes('task-accuracy') && !job.task) throw new InputError('job.task', 'is required when task-accuracy is measured');
  return { job, scenario, model };
}

/** The job's content hash (hex SHA-256 of its canonical JSON): the key of its result. */
export function jobHash(job: CampaignJob): string {
  return contentHash(job);
}
