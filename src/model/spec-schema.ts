import { z } from 'zod';
import { boundedNumber, toInputError } from '../util/zod-errors.js';
import { InputError } from '../util/errors.js';
import { NEURON_DEFAULTS } from './neuron-defaults.js';
import type { NetworkSpec } from './spec.js';

/** Limits on a model: wide enough for any cortical model, narrow enough to catch typos and hostile input. */
export const MODEL_LIMITS = {
  maxPopulations: 1000,
  maxProjections: 100_000,
  maxPopulationSize: 10_000_000,
  maxSynapsesPerProjection: 2_000_000_000,
  maxIndegree: 1_000_000,
  maxAbsPotentialMv: 1000,
  maxAbsCurrentPa: 1e7,
  maxTimeConstantMs: 1e5,
  maxPoissonRateHz: 1e8,
  maxDelayMs: 1000,
} as const;

const L = MODEL_LIMITS;
const potential = boundedNumber(-L.maxAbsPotentialMv, L.maxAbsPotentialMv);
const current = boundedNumber(-L.maxAbsCurrentPa, L.maxAbsCurrentPa);
const timeConstant = boundedNumber(0, L.maxTimeConstantMs, { exclusiveMin: true });

const neuronSchema = z
  .object({
    capacitancePf: boundedNumber(0, 1e6, { exclusiveMin: true }).default(NEURON_DEFAULTS.capacitancePf),
    tauMembraneMs: timeConstant.default(NEURON_DEFAULTS.tauMembraneMs),
    tauSynExcMs: timeConstant.default(NEURON_DEFAULTS.tauSynExcMs),
    tauSynInhMs: timeConstant.default(NEURON_DEFAULTS.tauSynInhMs),
    restingMv: potential.default(NEURON_DEFAULTS.restingMv),
    thresholdMv: potential.default(NEURON_DEFAULTS.thresholdMv),
    resetMv: potential.default(NEURON_DEFAULTS.resetMv),
    refractoryMs: boundedNumber(0, L.maxTimeConstantMs).default(NEURON_DEFAULTS.refractoryMs),
    dcPa: current.default(NEURON_DEFAULTS.dcPa),
  })
  .strict()
  .refine((n) => n.resetMv < n.thresholdMv, {
    message: 'resetMv must be below thresholdMv (a reset at or above threshold fires every step)',
    path: ['resetMv'],
  });

const initialPotentialSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant'), valueMv: potential }).strict(),
  z.object({ kind: z.literal('normal'), meanMv: potential, sdMv: boundedNumber(0, L.maxAbsPotentialMv) }).strict(),
  z.object({ kind: z.literal('uniform'), lowMv: potential, highMv: potential }).strict(),
]);

const driveSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('poisson'), rateHz: boundedNumber(0, L.maxPoissonRateHz), weightPa: current }).strict(),
  z.object({ kind: z.literal('dc'), currentPa: current }).strict(),
]);

const populationSchema = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, {
      message: 'must be 1-64 characters: a letter, then letters, digits, _ . -',
    }),
    size: boundedNumber(1, L.maxPopulationSize, { integer: true }),
    neuron: neuronSchema.default({}),
    initialPotential: initialPotentialSchema.optional(),
    drives: z.array(driveSchema).max(16, { message: 'at most 16 drives per population' }).default([]),
  })
  .strict();

const ruleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('fixed-total-number'), count: boundedNumber(0, L.maxSynapsesPerProjection, { integer: true }) }).strict(),
  z
    .object({ kind: z.literal('pairwise-probability'), probability: boundedNumber(0, 1), allowAutapses: z.boolean().default(true) })
    .strict(),
  z
    .object({ kind: z.literal('fixed-indegree'), indegree: boundedNumber(0, L.maxIndegree, { integer: true }), allowAutapses: z.boolean().default(true) })
    .strict(),
]);

function distributionSchema(min: number, max: number) {
  return z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('constant'), value: boundedNumber(min, max) }).strict(),
    z.object({ kind: z.literal('normal'), mean: boundedNumber(min, max), sd: boundedNumber(0, max - min) }).strict(),
  ]);
}

const projectionSchema = z
  .object({
    source: z.string().min(1),
    target: z.string().min(1),
    rule: ruleSchema,
    weightPa: distributionSchema(-L.maxAbsCurrentPa, L.maxAbsCurrentPa),
    delayMs: distributionSchema(0, L.maxDelayMs),
  })
  .strict();

export const networkSpecSchema = z
  .object({
    name: z.string().min(1).max(128).default('custom'),
    populations: z
      .array(populationSchema)
      .min(1, { message: 'needs at least one population' })
      .max(L.maxPopulations, { message: `at most ${L.maxPopulations} populations` }),
    projections: z.array(projectionSchema).max(L.maxProjections, { message: `at most ${L.maxProjections} projections` }).default([]),
  })
  .strict();

/**
 * Validates an untrusted model (parsed YAML/JSON or a TypeScript object) and
 * fills defaults. Errors name the field (`model.populations[1].size`) and the
 * allowed range.
 */
export function validateNetworkSpec(input: unknown, root = 'model'): NetworkSpec {
  const parsed = networkSpecSchema.safeParse(input);
  if (!parsed.success) throw toInputError(parsed.error, root, input);
  const spec = parsed.data;
  const names = new Map<string, number>();
  spec.populations.forEach((p, i) => {
    const v0 = p.initialPotential;
    if (v0?.kind === 'uniform' && v0.lowMv > v0.highMv) {
      throw new InputError(`${root}.populations[${i}].initialPotential.highMv`, `must not be below lowMv (${v0.lowMv}) (got ${v0.highMv})`);
    }
    if (names.has(p.name)) throw new InputError(`${root}.populations[${i}].name`, `duplicate population name "${p.name}" (also populations[${names.get(p.name)}])`);
    names.set(p.name, i);
  });
  const known = () => [...names.keys()].join(', ');
  spec.projections.forEach((pr, i) => {
    if (!names.has(pr.source)) throw new InputError(`${root}.projections[${i}].source`, `unknown population "${pr.source}" (known: ${known()})`);
    if (!names.has(pr.target)) throw new InputError(`${root}.projections[${i}].target`, `unknown population "${pr.target}" (known: ${known()})`);
  });
  return {
    name: spec.name,
    populations: spec.populations.map((p) => ({
      name: p.name,
      size: p.size,
      neuron: { ...p.neuron },
      initialPotential: p.initialPotential ?? { kind: 'constant', valueMv: p.neuron.restingMv },
      drives: p.drives,
    })),
    projections: spec.projections,
  };
}
