import { z } from 'zod';
import { boundedNumber } from '../util/zod-errors.js';
import { InputError } from '../util/errors.js';
import { TASK_DEFAULTS } from '../task/task-options.js';

/**
 * Probes as data (Chaos Toolkit's steady-state probes, Litmus probe modes):
 * what the judge measures, on which population, with which tolerance, and
 * in which part of the experiment. See docs/probes.md.
 */

/** Metrics judged on simulated data: they decide the verdict. */
export const SIMULATED_PROBE_METRICS = ['rate', 'synchrony', 'cv-isi', 'non-finite', 'spike-distance', 'active-fraction', 'task-accuracy'] as const;
/** Wall-clock metrics: advisory only (reported in `performanceImpact`, never in a verdict, a score or the exit code). */
export const WALL_CLOCK_PROBE_METRICS = ['throughput', 'step-latency', 'memory'] as const;
export const PROBE_METRICS = [...SIMULATED_PROBE_METRICS, ...WALL_CLOCK_PROBE_METRICS] as const;
export type ProbeMetric = (typeof PROBE_METRICS)[number];
export type WallClockMetric = (typeof WALL_CLOCK_PROBE_METRICS)[number];

/**
 * When a probe is judged: `before` the injection (the baseline), `during`
 * the fault (injection to the fault's end), `after` it (the fault's end to
 * the end of the recovery window), `continuous` (injection to the end, one
 * comparison over the whole span: Litmus's continuous mode).
 */
export const PROBE_WHEN = ['before', 'during', 'after', 'continuous'] as const;
export type ProbeWhen = (typeof PROBE_WHEN)[number];

/** Metrics a `population` may narrow (the others are of the whole network or have no population). */
const POPULATION_METRICS: ReadonlySet<ProbeMetric> = new Set(['rate', 'synchrony', 'cv-isi', 'spike-distance', 'active-fraction']);

/** Default kernel time constant of the van Rossum distance, ms (van Rossum 2001 uses tau of the order of the membrane time constant: 10 ms). */
export const DEFAULT_VAN_ROSSUM_TAU_MS = 10;
/** Default bound on the normalised van Rossum distance (0: identical trains; about 1: unrelated trains at the same rate). */
export const DEFAULT_SPIKE_DISTANCE_TOLERANCE = 0.5;

const when = z.enum(PROBE_WHEN);

/** The error of a bad `when`: the allowed values, and for a list the first element that is not one of them (its index). */
function whenMessage(data: unknown): string {
  const allowed = `must be one of ${PROBE_WHEN.join(', ')}, or a list of 1-4 of them`;
  if (!Array.isArray(data)) return allowed;
  const bad = data.findIndex((x) => !(PROBE_WHEN as readonly unknown[]).includes(x));
  return bad >= 0 ? `${allowed}; element [${bad}] is not one of them` : allowed;
}

export const probeSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9_.@-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . @ -' }),
    metric: z.enum(PROBE_METRICS),
    /** A population of the model (rate, synchrony, cv-isi, spike-distance, active-fraction); absent: the whole network, its populations pooled. */
    population: z.string().min(1).max(64).optional(),
    /**
     * Smallest relative change that fails the probe (absent: the scenario's `judge.tolerance.relative`).
     * For `spike-distance`, the bound on the normalised van Rossum distance instead (default 0.5).
     */
    tolerance: boundedNumber(0, 100).optional(),
    /** When it is judged: one of before, during, after, continuous, or a list of them. @defaultValue [before, during, after] */
    // A union's own error is "Invalid input": name the allowed values instead, and in a list the element that is not one.
    when: z.union([when, z.array(when).min(1, { message: whenMessage([]) }).max(4, { message: whenMessage([]) })], { errorMap: (_issue, ctx) => ({ message: whenMessage(ctx.data) }) }).optional(),
    /** spike-distance only: the van Rossum kernel's time constant, ms. @defaultValue 10 */
    tauMs: boundedNumber(0.1, 10_000).optional(),
    /** task-accuracy only: presentations of the ColumnTask (rounds of one sample per replica). */
    task: z
      .object({
        trainRounds: boundedNumber(1, 1000, { integer: true }).default(30),
        testRounds: boundedNumber(2, 1000, { integer: true }).default(15),
        classes: boundedNumber(2, 64, { integer: true }).optional(),
        inputPopulations: z.array(z.string().min(1)).min(1).optional(),
        readoutPopulations: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export type ProbeSpec = z.infer<typeof probeSchema>;

/** The steady-state hypothesis as data: the probes the judge runs (absent: the default probes). */
export const hypothesisSchema = z
  .object({
    probes: z.array(probeSchema).min(1, { message: 'needs at least one probe (leave hypothesis out for the default probes)' }).max(64),
  })
  .strict();

export type HypothesisSpec = z.infer<typeof hypothesisSchema>;

/** A declared probe with its defaults filled: `when` a list, `tolerance` a number. */
export interface ResolvedProbe {
  id: string;
  metric: ProbeMetric;
  population?: string;
  tolerance: number;
  when: ProbeWhen[];
  tauMs?: number;
  task?: NonNullable<ProbeSpec['task']>;
  /** Whether it was declared (false: one of the default probes). */
  declared: boolean;
}

export const isWallClockMetric = (m: string): m is WallClockMetric => (WALL_CLOCK_PROBE_METRICS as readonly string[]).includes(m);

/**
 * The probes an experiment is judged by: its own `hypothesis.probes`, else
 * the scenario's, else the defaults (every population's rate and active
 * fraction, synchrony and non-finite state, before, during and after). A hypothesis that declares
 * only wall-clock probes keeps the defaults beside them (advisory probes
 * never change a verdict, not even by displacing the defaults). Checks what needs the model
 * (known populations) and what spans probes (unique ids, options that fit the metric).
 * @param field where the probes came from, for errors (e.g. `experiments[0].hypothesis.probes`)
 * @throws InputError naming the probe's field
 */
export function resolveProbes(declared: readonly ProbeSpec[] | undefined, populations: readonly string[], defaultTolerance: number, field: string): ResolvedProbe[] {
  const all: ProbeWhen[] = ['before', 'during', 'after'];
  const defaults: ResolvedProbe[] = [
    ...populations.map((p): ResolvedProbe => ({ id: `rate.${p}`, metric: 'rate', population: p, tolerance: defaultTolerance, when: all, declared: false })),
    // Dead or silenced neurons hide in a population's rate when the survivors fire more: each population's active fraction shows them.
    ...populations.map((p): ResolvedProbe => ({ id: `active-fraction.${p}`, metric: 'active-fraction', population: p, tolerance: defaultTolerance, when: all, declared: false })),
    { id: 'synchrony', metric: 'synchrony', tolerance: defaultTolerance, when: all, declared: false },
    { id: 'non-finite', metric: 'non-finite', tolerance: defaultTolerance, when: all, declared: false },
  ];
  if (!declared) return defaults;
  const seen = new Set<string>();
  const resolved = declared.map((p, i) => {
    const at = `${field}[${i}]`;
    if (seen.has(p.id)) throw new InputError(`${at}.id`, `must be unique among the probes (${p.id} is used twice)`);
    seen.add(p.id);
    if (p.population !== undefined) {
      if (!POPULATION_METRICS.has(p.metric)) throw new InputError(`${at}.population`, `is not taken by metric ${p.metric} (only by ${[...POPULATION_METRICS].join(', ')})`);
      if (!populations.includes(p.population)) throw new InputError(`${at}.population`, `must be a population of the model: ${populations.join(', ')} (got ${p.population})`);
    }
    // A share of neurons cannot change by more than 100% downwards: a larger tolerance could never fail on silencing.
    if (p.metric === 'active-fraction' && p.tolerance !== undefined && p.tolerance > 1) throw new InputError(`${at}.tolerance`, `must be in [0, 1] for metric active-fraction (a relative change of active neurons; got ${p.tolerance})`);
    if (p.tauMs !== undefined && p.metric !== 'spike-distance') throw new InputError(`${at}.tauMs`, `is taken by metric spike-distance only (got metric ${p.metric})`);
    if (p.task !== undefined && p.metric !== 'task-accuracy') throw new InputError(`${at}.task`, `is taken by metric task-accuracy only (got metric ${p.metric})`);
    if (p.metric === 'task-accuracy') {
      for (const [k, list] of [['inputPopulations', p.task?.inputPopulations], ['readoutPopulations', p.task?.readoutPopulations]] as const) {
        const names = list ?? TASK_DEFAULTS[k];
        names.forEach((name, j) => {
          if (populations.includes(name)) return;
          if (list) throw new InputError(`${at}.task.${k}[${j}]`, `must be a population of the model: ${populations.join(', ')} (got ${name})`);
          throw new InputError(`${at}.task.${k}`, `is needed: the model lacks the default ${names.join(', ')}; name populations of the model: ${populations.join(', ')}`);
        });
      }
    }
    const whens = p.when === undefined ? (['before', 'during', 'after'] as ProbeWhen[]) : Array.isArray(p.when) ? [...new Set(p.when)] : [p.when];
    const tolerance = p.tolerance ?? (p.metric === 'spike-distance' ? DEFAULT_SPIKE_DISTANCE_TOLERANCE : defaultTolerance);
    return {
      id: p.id,
      metric: p.metric,
      ...(p.population !== undefined ? { population: p.population } : {}),
      tolerance,
      when: whens,
      ...(p.metric === 'spike-distance' ? { tauMs: p.tauMs ?? DEFAULT_VAN_ROSSUM_TAU_MS } : {}),
      ...(p.task ? { task: p.task } : {}),
      declared: true,
    };
  });
  // Advisory (wall-clock) probes never change a verdict, so declaring only them keeps the default probes.
  if (resolved.every((p) => isWallClockMetric(p.metric))) return [...defaults.filter((d) => !seen.has(d.id)), ...resolved];
  return resolved;
}
