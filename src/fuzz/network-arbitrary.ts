import fc from 'fast-check';
import type { NetworkSpec } from '../model/spec.js';
import { msOfSteps } from '../util/time-steps.js';

export interface NetworkArbitraryConstraints {
  /** @defaultValue 3 */
  maxPopulations?: number;
  /** @defaultValue 60 */
  maxPopulationSize?: number;
  /** @defaultValue 4 */
  maxProjections?: number;
}

/**
 * Small valid models (populations with varied neurons, initial potentials and
 * drives; projections of every rule kind), cheap to build and simulate: for
 * properties that must hold on any model, not just the shipped ones.
 */
export function networkSpecArbitrary(c: NetworkArbitraryConstraints = {}): fc.Arbitrary<NetworkSpec> {
  const neuron = fc
    .record({
      capacitancePf: fc.double({ min: 50, max: 500, noNaN: true }),
      tauMembraneMs: fc.double({ min: 2, max: 40, noNaN: true }),
      tauSynExcMs: fc.double({ min: 0.2, max: 10, noNaN: true }),
      tauSynInhMs: fc.double({ min: 0.2, max: 10, noNaN: true }),
      restingMv: fc.double({ min: -80, max: -55, noNaN: true }),
      gapMv: fc.double({ min: 5, max: 30, noNaN: true }),
      resetBelowMv: fc.double({ min: 0.5, max: 20, noNaN: true }),
      refractoryMs: fc.double({ min: 0, max: 5, noNaN: true }),
      dcPa: fc.double({ min: -100, max: 400, noNaN: true }),
    })
    .map(({ gapMv, resetBelowMv, ...n }) => ({ ...n, thresholdMv: n.restingMv + gapMv, resetMv: n.restingMv + gapMv - resetBelowMv }));
  const population = (name: string) =>
    fc.record({
      name: fc.constant(name),
      size: fc.integer({ min: 1, max: c.maxPopulationSize ?? 60 }),
      neuron,
      initialPotential: fc.oneof(
        fc.constant(undefined),
        fc.double({ min: -80, max: -50, noNaN: true }).map((valueMv) => ({ kind: 'constant' as const, valueMv })),
        fc.tuple(fc.double({ min: -80, max: -50, noNaN: true }), fc.double({ min: 0, max: 10, noNaN: true })).map(([meanMv, sdMv]) => ({ kind: 'normal' as const, meanMv, sdMv })),
        fc.tuple(fc.double({ min: -80, max: -50, noNaN: true }), fc.double({ min: 0, max: 20, noNaN: true })).map(([lowMv, w]) => ({ kind: 'uniform' as const, lowMv, highMv: lowMv + w })),
      ),
      drives: fc.array(fc.oneof(fc.record({ kind: fc.constant('poisson' as const), rateHz: fc.double({ min: 0, max: 20000, noNaN: true }), weightPa: fc.double({ min: -100, max: 100, noNaN: true }) }), fc.record({ kind: fc.constant('dc' as const), currentPa: fc.double({ min: -100, max: 400, noNaN: true }) })), { maxLength: 2 }),
    });
  return fc.integer({ min: 1, max: c.maxPopulations ?? 3 }).chain((k) => {
    const names = Array.from({ length: k }, (_, i) => `P${i}`);
    const rule = fc.oneof(
      fc.integer({ min: 0, max: 200 }).map((count) => ({ kind: 'fixed-total-number' as const, count })),
      fc.record({ kind: fc.constant('pairwise-probability' as const), probability: fc.double({ min: 0, max: 0.3, noNaN: true }), allowAutapses: fc.boolean() }),
      fc.record({ kind: fc.constant('fixed-indegree' as const), indegree: fc.integer({ min: 0, max: 10 }), allowAutapses: fc.boolean() }),
    );
    const dist = (min: number, max: number) => fc.oneof(fc.double({ min, max, noNaN: true }).map((value) => ({ kind: 'constant' as const, value })), fc.tuple(fc.double({ min, max, noNaN: true }), fc.double({ min: 0, max: (max - min) / 4, noNaN: true })).map(([mean, sd]) => ({ kind: 'normal' as const, mean, sd })));
    // Delays the model writes lie on the dt = 0.1 ms grid (a constant delay off it is refused, src/util/time-steps.ts); drawn ones round.
    const onGrid = (x: number) => msOfSteps(Math.max(1, Math.round(x / 0.1)), 0.1);
    const delayDist = dist(0.1, 5).map((d) => (d.kind === 'constant' ? { ...d, value: onGrid(d.value) } : { ...d, mean: onGrid(d.mean) }));
    const projection = fc.record({ source: fc.constantFrom(...names), target: fc.constantFrom(...names), rule, weightPa: dist(-400, 200), delayMs: delayDist });
    return fc.record({
      name: fc.constant('fuzzed'),
      populations: fc.tuple(...names.map(population)),
      projections: fc.array(projection, { maxLength: c.maxProjections ?? 4 }),
    }).map((s) => {
      const size = (name: string) => s.populations.find((p) => p.name === name)!.size;
      return {
        ...s,
        populations: s.populations.map((p) => (p.initialPotential === undefined ? { ...p, initialPotential: { kind: 'constant' as const, valueMv: p.neuron.restingMv } } : p)),
        // The builder needs a second neuron to draw a non-autapse from within a one-neuron population.
        projections: s.projections.map((pr) => (pr.rule.kind === 'fixed-indegree' && !pr.rule.allowAutapses && pr.source === pr.target && size(pr.source) < 2 ? { ...pr, rule: { ...pr.rule, allowAutapses: true } } : pr)),
      } as NetworkSpec;
    });
  });
}
