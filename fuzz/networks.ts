import { buildNetwork } from '../src/model/builder.js';
import type { Network } from '../src/model/network.js';
import type { NetworkSpec, NeuronParams } from '../src/model/spec.js';

const LIF: NeuronParams = { capacitancePf: 250, tauMembraneMs: 10, tauSynExcMs: 0.5, tauSynInhMs: 0.5, restingMv: -65, thresholdMv: -50, resetMv: -65, refractoryMs: 2, dcPa: 0 };

/**
 * The network the chaos properties fuzz: a driven E/I pair (recurrent,
 * every population active) plus a read-out population that receives from E
 * and projects nowhere (a sink, which cascades and weight faults must cope with).
 * Delays of at least 1 ms let the worker engine run 10 steps between
 * barriers, which keeps it quick on a crowded machine.
 */
export function fuzzNetworkSpec(): NetworkSpec {
  const w = 87.8;
  const pop = (name: string, size: number, rateHz: number) => ({ name, size, neuron: LIF, initialPotential: { kind: 'normal' as const, meanMv: -58, sdMv: 5 }, drives: [{ kind: 'poisson' as const, rateHz, weightPa: w }] });
  const proj = (source: string, target: string, indegree: number, mean: number, delay: number) => ({ source, target, rule: { kind: 'fixed-indegree' as const, indegree, allowAutapses: false }, weightPa: { kind: 'normal' as const, mean, sd: Math.abs(mean) / 10 }, delayMs: { kind: 'constant' as const, value: delay } });
  return {
    name: 'fuzz',
    populations: [pop('E', 160, 8 * 1800), pop('I', 40, 8 * 1700), pop('Out', 20, 8 * 1500)],
    projections: [proj('E', 'E', 40, w, 1.5), proj('E', 'I', 40, w, 1.5), proj('I', 'E', 10, -4 * w, 1), proj('I', 'I', 10, -4 * w, 1), proj('E', 'Out', 20, w, 1.5)],
  };
}

let cached: Network | null = null;

/** Built once per process (faults write into its weights; every property puts them back). */
export function fuzzNetwork(): Network {
  cached ??= buildNetwork(fuzzNetworkSpec(), { seed: 3 });
  return cached;
}
