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
