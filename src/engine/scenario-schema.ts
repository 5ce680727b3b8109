import { z } from 'zod';
import { boundedNumber } from '../util/zod-errors.js';
import { BACKENDS } from '../backends/registered-backends.js';
import { EXPERIMENT_DEFAULTS, MAX_BATCH, MAX_WORKERS } from '../config/settings.js';
import { hypothesisSchema } from './probe-schema.js';
import { PRECISIONS } from '../backends/precision.js';

/** Tolerance of a steady-state band: mean +- max(sigmas * sd, relative * |mean|, absolute). */
export const toleranceSchema = z
  .object({
    sigmas: boundedNumber(0, 100).default(3),
    relative: boundedNumber(0, 100).default(0.5),
  })
  .strict();

const durations = {
  /** Discarded start-up transient before the baseline. */
  warmupMs: boundedNumber(0, 1e7),
  /** Steady-state baseline window. */
  baselineMs: boundedNumber(1, 1e7),
  /** Monitor sampling interval (simulated). */
  monitorIntervalMs: boundedNumber(1, 1e6),
  /** Every metric must stay in band this long to count as recovered. */
  holdMs: boundedNumber(0, 1e7),
  /** Recovery-time objective (the spec this tool follows: 30 s). */
  slaMs: boundedNumber(0, 1e9, { exclusiveMin: true }),
};

export const experimentSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . -' }),
    description: z.string().max(1000).optional(),
    /** A fault spec (see the chaos layer); spike storms also take amplitudePa / amplitudeMv. */
    fault: z.record(z.unknown()),
    observationMs: boundedNumber(0, 1e9, { exclusiveMin: true }),
    recoveryTimeoutMs: boundedNumber(0, 1e9, { exclusiveMin: true }),
    warmupMs: durations.warmupMs.optional(),
    baselineMs: durations.baselineMs.optional(),
    monitorIntervalMs: durations.monitorIntervalMs.optional(),
    holdMs: durations.holdMs.optional(),
    slaMs: durations.slaMs.optional(),
    rollback: z.enum(['always', 'on-deviation', 'never']).optional(),
    /** This experiment's probes (replaces the scenario's `hypothesis`; see docs/probes.md). */
    hypothesis: hypothesisSchema.optional(),
    /** This experiment's own controls mode and trials, over the scenario's `judge` (a subtle fault may need more trials than a storm). */
    judge: z
      .object({
        controls: z.enum(['paired', 'baseline']).optional(),
        trials: boundedNumber(1, MAX_BATCH, { integer: true }).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const scenarioSchema = z
  .object({
    title: z.string().min(1).max(200),
    description: z.string().max(5000).optional(),
    seed: boundedNumber(0, 4294967295, { integer: true }).default(1),
    model: z
      .object({
        name: z.string().min(1).default('microcircuit'),
        scale: boundedNumber(0, 100, { exclusiveMin: true }).optional(),
        kScale: boundedNumber(0.001, 1).optional(),
        background: z.enum(['poisson', 'dc']).optional(),
      })
      .strict()
      .default({}),
    /** A registered backend (workers by default; see `neurochaos list`), or auto. */
    backend: z.enum(BACKENDS.choices()).optional(),
    workers: boundedNumber(1, MAX_WORKERS, { integer: true }).optional(),
    /**
     * The LIF update's arithmetic (SimulationOptions.precision, src/backends/precision.ts): float64 (the
     * reference) or float32 (every operation in single precision; cpu and workers, about 2x faster per
     * update). Optional, not defaulted here: a scenario without it parses (and hashes, in campaigns) as before.
     */
    precision: z.enum(PRECISIONS).optional(),
    /**
     * Deprecated: replicas of the batch. Still loads, with a notice: read as `judge.trials` (floor(batch / 2)
     * control/treated pairs with paired controls, batch treated replicas with baseline controls). Refused
     * beside `judge.trials`. See docs/verdicts.md.
     */
    batch: boundedNumber(1, MAX_BATCH, { integer: true }).optional(),
    /**
     * Replaced: it counted the replicas of a batch kept unfaulted. Controls are now paired (`judge.controls`)
     * and counted in trials (`judge.trials`); a scenario that gives it is refused (exit 2) naming them. Kept in
     * the schema only so that the refusal can say so.
     */
    controls: boundedNumber(0, MAX_BATCH - 1, { integer: true }).optional(),
    dtMs: boundedNumber(0.001, 10).default(0.1),
    /** The steady-state hypothesis as probes (absent: every population's rate and active fraction, synchrony and non-finite state, before, during and after; see docs/probes.md). */
    hypothesis: hypothesisSchema.optional(),
    defaults: z
      .object({
        warmupMs: durations.warmupMs.default(EXPERIMENT_DEFAULTS.warmupMs),
        baselineMs: durations.baselineMs.default(EXPERIMENT_DEFAULTS.baselineMs),
        monitorIntervalMs: durations.monitorIntervalMs.default(EXPERIMENT_DEFAULTS.monitorIntervalMs),
        holdMs: durations.holdMs.default(EXPERIMENT_DEFAULTS.holdMs),
        slaMs: durations.slaMs.default(EXPERIMENT_DEFAULTS.slaMs),
        rollback: z.enum(['always', 'on-deviation', 'never']).default('always'),
        tolerance: toleranceSchema.default({}),
        /** Deprecated and ignored: verdicts and recovery are judged on simulated data only; wall-clock figures are advisory (`performanceImpact`). Still accepted so that older scenario files load. */
        recoveryIncludesPerformance: z.boolean().default(false),
      })
      .strict()
      .default({}),
    /**
     * The judge: per probe, treated against control windows holding at least `minExpectedSpikes`
     * expected spikes, a seeded permutation test at `alpha`, and a minimum relative effect
     * (`tolerance.relative`, 10% by default: a significant but smaller change passes). Unlike
     * `defaults.tolerance` (the steady-state bands), this tolerance is an effect size.
     * `controls`: `paired` (default) runs every treated replica beside a counterfactual control (same
     * connectivity, seed, initial state and Poisson drive; no fault), `baseline` judges the treated
     * replicas against their own baseline before injection. `trials`: paired trials (control k,
     * treated k), or treated replicas with baseline controls (default 1). See docs/verdicts.md.
     */
    judge: z
      .object({
        controls: z.enum(['paired', 'baseline']).default('paired'),
        trials: boundedNumber(1, MAX_BATCH, { integer: true }).optional(),
        tolerance: z.object({ relative: boundedNumber(0, 100).default(0.1) }).strict().default({}),
        alpha: boundedNumber(0, 1, { exclusiveMin: true }).default(0.05),
        minExpectedSpikes: boundedNumber(1, 1e9).default(200),
      })
      .strict()
      .default({}),
    /** The simulator's own defences; switch them off to see the raw vulnerability. */
    defences: z
      .object({
        guards: z.boolean().default(true),
        /** Weight integrity scrubbing: golden copy, blocks compared with it, repair. */
        scrub: z.boolean().default(true),
        scrubEveryMs: boundedNumber(0.1, 1e6).default(10),
        saturationPa: boundedNumber(0, 1e12, { exclusiveMin: true }).optional(),
        quarantineMs: boundedNumber(0, 1e6).optional(),
        /** Durable spike recording: `durable` (retries, backlog, follows recovery), `raw` (writes once, loses on error), `off`. */
        recording: z.enum(['durable', 'raw', 'off']).default('durable'),
        /** When recorded blocks are fsynced: every block, at most fsyncIntervalMs (wall) after writing, or never. */
        fsync: z.enum(['block', 'interval', 'none']).default('interval'),
        fsyncIntervalMs: boundedNumber(0, 3_600_000).default(200),
        /** Bound on recorded data held in memory while the disk fails. */
        recordingBacklogBytes: boundedNumber(0, 2 ** 40, { integer: true }).default(16 * 1024 * 1024),
        /** Retry refused allocations with backoff and shed what can be shed (smaller record chunks, no restart point) rather than fail. */
        degrade: z.boolean().default(true),
      })
      .strict()
      .default({}),
    abort: z
      .object({
        /** Non-finite state values above this fraction count as a failure... */
        maxNonFiniteFraction: boundedNumber(0, 1).default(0.01),
        /** ...and this many failing samples in a row trip the circuit breaker. */
        consecutive: boundedNumber(1, 1000, { integer: true }).default(3),
        maxMemoryBytes: boundedNumber(1, 2 ** 50, { integer: true }).optional(),
        maxWallMs: boundedNumber(1, 1e9).optional(),
      })
      .strict()
      .default({}),
    experiments: z.array(experimentSchema).min(1, { message: 'needs at least one experiment' }).max(100),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;
export type ExperimentSpec = z.infer<typeof experimentSchema>;
export type Tolerance = z.infer<typeof toleranceSchema>;
