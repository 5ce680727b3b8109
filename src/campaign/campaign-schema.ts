import { z } from 'zod';
import { BACKENDS } from '../backends/registered-backends.js';
import { MAX_WORKERS } from '../config/settings.js';
import { scenarioSchema } from '../engine/scenario-schema.js';
import { boundedNumber } from '../util/zod-errors.js';
import { MEASURES } from './measures.js';

/** Longest grid a campaign may expand to (jobs): beyond it, split the campaign. */
export const MAX_CAMPAIGN_JOBS = 200_000;

const id = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . -' });

/** The base experiment every job runs, with the sweep's fault (durations in simulated ms; the scenario's fields). */
const experimentSchema = z
  .object({
    warmupMs: boundedNumber(0, 1e7).default(100),
    baselineMs: boundedNumber(1, 1e7).default(200),
    observationMs: boundedNumber(0, 1e9, { exclusiveMin: true }),
    recoveryTimeoutMs: boundedNumber(0, 1e9, { exclusiveMin: true }),
    monitorIntervalMs: boundedNumber(1, 1e6).default(10),
    holdMs: boundedNumber(0, 1e7).default(40),
    slaMs: boundedNumber(0, 1e9, { exclusiveMin: true }).default(30_000),
    rollback: z.enum(['always', 'on-deviation', 'never']).default('always'),
  })
  .strict();

/** The task of the `task-accuracy` measure (src/task): the column's readout trained healthy, scored under the fault. */
const taskSchema = z
  .object({
    warmupMs: boundedNumber(0, 1e7).default(200),
    trainRounds: boundedNumber(1, 10_000, { integer: true }).default(20),
    testRounds: boundedNumber(1, 10_000, { integer: true }).default(4),
    classes: boundedNumber(2, 64, { integer: true }).optional(),
    inputPopulations: z.array(z.string().min(1)).min(1).max(64).optional(),
    readoutPopulations: z.array(z.string().min(1)).min(1).max(64).optional(),
  })
  .strict();

/**
 * One sweep: a fault kind with its base fields and the grid of fields to vary.
 * Grid keys are fault fields (dotted for nested ones: `target.percent`); each
 * value is a list, `{ log: [a, b], points: n }` or `{ linear: [a, b], points: n }`
 * (checked in grid.ts, whose errors name the axis).
 */
const sweepSchema = z
  .object({
    name: id,
    description: z.string().max(1000).optional(),
    fault: z.record(z.unknown()),
    grid: z.record(z.unknown()).default({}),
    /** The grid axis curves are drawn against (default: the last numeric axis). */
    x: z.string().min(1).optional(),
  })
  .strict();

/**
 * A campaign file: a model, a base experiment, and sweeps of fault parameters
 * crossed with trials (seeds), defences on/off and backends. Each point of the
 * cross product is one job: one experiment run through the engine.
 */
export const campaignSchema = z
  .object({
    title: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    /** A built-in model (microcircuit, cuba) or a model file (YAML/JSON), relative to the campaign file: the scenario's model block. */
    model: scenarioSchema.shape.model,
    /** Backends to run every point on (a sweep axis). */
    backends: z.array(z.enum(BACKENDS.choices())).min(1).max(8).default(['cpu']),
    /** Threads of a multi-threaded backend, per job. */
    workers: boundedNumber(1, MAX_WORKERS, { integer: true }).default(1),
    /** The scenario's `precision` (the LIF update's arithmetic): every job carries it, so it is part of each job's hash; left out, jobs and hashes are as before (float64). */
    precision: scenarioSchema.shape.precision,
    /** Deprecated: the scenario's top-level `batch` field, read as the scenario reads it (load-campaign.ts, docs/verdicts.md). */
    batch: scenarioSchema.shape.batch,
    /** Replaced, as the scenario's `controls`: refused (load-campaign.ts) naming judge.controls and judge.trials. Any value, so the refusal is the one error. */
    controls: z.unknown().optional(),
    dtMs: boundedNumber(0.001, 10).default(0.1),
    /** Trials per point: seeds seed, seed + 1, ..., seed + trials - 1. */
    seed: boundedNumber(0, 4294967295, { integer: true }).default(1),
    trials: boundedNumber(1, 100_000, { integer: true }).default(1),
    /** Defences per point: on (guards, scrubbing, durable recording, graceful degradation), off (none), or both. */
    defences: z.array(z.enum(['on', 'off'])).min(1).max(2).default(['on']),
    experiment: experimentSchema,
    /** The scenario's `judge` block, its schema and defaults (scenario-schema.ts, docs/verdicts.md): every job carries it whole. */
    judge: scenarioSchema.shape.judge,
    measures: z.array(z.enum(MEASURES)).min(1).max(MEASURES.length).default(['verdict', 'probes', 'recovery-time', 'rate-deviation', 'van-rossum']),
    task: taskSchema.default({}),
    sweeps: z.array(sweepSchema).min(1, { message: 'needs at least one sweep' }).max(100),
  })
  .strict();

export type CampaignFile = z.infer<typeof campaignSchema>;
export type SweepSpec = z.infer<typeof sweepSchema>;
export type TaskSpec = z.infer<typeof taskSchema>;
export type BaseExperiment = z.infer<typeof experimentSchema>;
