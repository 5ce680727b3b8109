import { buildNetwork } from '../../src/model/builder.js';
import type { Drive, NeuronParams, NetworkSpec } from '../../src/model/spec.js';

export const LIF: NeuronParams = {
  capacitancePf: 250,
  tauMembraneMs: 10,
  tauSynExcMs: 0.5,
  tauSynInhMs: 2,
  restingMv: -65,
  thresholdMv: -50,
  resetMv: -65,
  refractoryMs: 2,
  dcPa: 0,
};

/** One unconnected neuron with the given drives. */
export function singleNeuron(drives: Drive[] = [], neuron: Partial<NeuronParams> = {}, dtMs = 0.1) {
  const spec: NetworkSpec = {
    name: 'single',
    populations: [{ name: 'N', size: 1, neuron: { ...LIF, ...neuron }, initialPotential: { kind: 'constant', valueMv: neuron.restingMv ?? LIF.restingMv }, drives }],
    projections: [],
  };
  return buildNetwork(spec, { dtMs });
}

/** A small random E/I network with Poisson drive: fast to simulate, every population active. */
export function smallNetworkSpec(size = 400): NetworkSpec {
  const nE = Math.round(size * 0.8);
  const nI = size - nE;
  const w = 87.8;
  return {
    name: 'small',
    populations: [
      { name: 'E', size: nE, neuron: { ...LIF, tauSynInhMs: 0.5 }, initialPotential: { kind: 'normal', meanMv: -58, sdMv: 5 }, drives: [{ kind: 'poisson', rateHz: 8 * 1800, weightPa: w }] },
      { name: 'I', size: nI, neuron: { ...LIF, tauSynInhMs: 0.5 }, initialPotential: { kind: 'normal', meanMv: -58, sdMv: 5 }, drives: [{ kind: 'poisson', rateHz: 8 * 1700, weightPa: w }] },
    ],
    projections: ['E', 'I'].flatMap((target) => [
      { source: 'E', target, rule: { kind: 'fixed-indegree', indegree: 40, allowAutapses: false } as const, weightPa: { kind: 'normal', mean: w, sd: 8.8 } as const, delayMs: { kind: 'normal', mean: 1.5, sd: 0.75 } as const },
      { source: 'I', target, rule: { kind: 'fixed-indegree', indegree: 10, allowAutapses: false } as const, weightPa: { kind: 'normal', mean: -4 * w, sd: 35 } as const, delayMs: { kind: 'normal', mean: 0.75, sd: 0.375 } as const },
    ]),
  };
}

/**
 * Four populations of odd sizes (pair-loop tails in each), every one with
 * its own LIF constants (membrane and synaptic time constants, rest,
 * threshold, reset, refractory period, DC) and its own fused Poisson drive
 * (rate, weight), connected all to all by fixed in-degree. A kernel that
 * read one population's parameters for another (the wasm kernels keep a
 * parameter block per population) gives other spikes here; in the networks
 * above every population shares the constants, so it would not show.
 */
export function distinctPopulationsSpec(): NetworkSpec {
  const sizes = [37, 50, 23, 66];
  const populations = sizes.map((size, i) => ({
    name: `P${i}`,
    size,
    neuron: { ...LIF, tauMembraneMs: 8 + 2.5 * i, tauSynExcMs: 0.4 + 0.15 * i, tauSynInhMs: 1 + 0.6 * i, restingMv: -66 + 1.5 * i, thresholdMv: -52 + 0.8 * i, resetMv: -67 + 0.5 * i, refractoryMs: 1 + 0.7 * i, dcPa: 15 * i, capacitancePf: 200 + 25 * i },
    initialPotential: { kind: 'normal' as const, meanMv: -58, sdMv: 5 },
    drives: [{ kind: 'poisson' as const, rateHz: 11_000 + 1_500 * i, weightPa: 70 + 8 * i }],
  }));
  const projections = populations.flatMap((s, i) =>
    populations.map((t) => ({
      source: s.name,
      target: t.name,
      rule: { kind: 'fixed-indegree', indegree: 6, allowAutapses: true } as const,
      weightPa: { kind: 'normal', mean: i === 1 ? -180 : 55, sd: 8 } as const,
      delayMs: { kind: 'normal', mean: 1.2, sd: 0.5 } as const,
    })),
  );
  return { name: 'distinct', populations, projections };
}
