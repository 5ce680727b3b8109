import { z } from 'zod';
import { boundedNumber } from '../util/zod-errors.js';

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
    backend: z.enum(['workers', 'cpu', 'gpujs']).optional(),
    workers: boundedNumber(1, 256, { integer: true }).optional(),
    batch: boundedNumber(1, 64, { integer: true }).default(1),
    /** Replicas left unfaulted as controls (default: half of the batch). */
    controls: boundedNumber(0, 63, { integer: true }).optional(),
    dtMs: boundedNumber(0.001, 10).default(0.1),
    defaults: z
      .object({
        warmupMs: durations.warmupMs.default(200),
        baselineMs: durations.baselineMs.default(500),
        monitorIntervalMs: durations.monitorIntervalMs.default(20),
        holdMs: durations.holdMs.default(100),
        slaMs: durations.slaMs.default(30_000),
        rollback: z.enum(['always', 'on-deviation', 'never']).default('always'),
        tolerance: toleranceSchema.default({}),
      })
      .strict()
      .default({}),
    /** The simulator's own defences; switch them off to see the raw vulnerability. */
    defences: z
      .object({
        guards: z.boolean().default(true),
        /** Weight integrity scrubbing: golden copy, block checksums, repair. */
        scrub: z.boolean().default(true),
        scrubEveryMs: boundedNumber(0.1, 1e6).default(10),
        saturationPa: boundedNumber(0, 1e12, { exclusiveMin: true }).optional(),
        quarantineMs: boundedNumber(0, 1e6).optional(),
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
