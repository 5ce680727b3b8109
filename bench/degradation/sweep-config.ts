/** What a degradation sweep runs on, and how much of it: quick (a smoke check) or full. */
export interface SweepConfig {
  quick: boolean;
  backend: 'cpu' | 'workers';
  workers: number;
  /** Microcircuit scale and in-degree scale of the column. */
  scale: number;
  kScale: number;
  /** Replicas of one batch: the trials of every point (for the allocator sweep, sequential trials). */
  trials: number;
  warmupMs: number;
  trainRounds: number;
  testRounds: number;
  /** Rounds of faulted presentations a retrained readout gets (neuron faults); 0: no retraining. */
  adaptRounds: number;
  corruptionFractions: number[];
  stormRatesHz: number[];
  stormAmplitudesPa: number[];
  stormMs: number;
  postStormMs: number;
  allocatorFailureRates: number[];
  allocatorFreeFractions: number[];
  neuronFractions: number[];
  seed: number;
}

export function sweepConfig(quick: boolean, backend: 'cpu' | 'workers' = 'cpu', workers = 2): SweepConfig {
  return quick
    ? { quick, backend, workers: backend === 'cpu' ? 1 : workers, scale: 0.02, kScale: 0.1, trials: 4, warmupMs: 200, trainRounds: 20, testRounds: 4, adaptRounds: 0, corruptionFractions: [1e-4, 2.7e-3, 0.071, 0.5].map((x) => Number(x.toPrecision(2))), stormRatesHz: [100, 1000, 10000], stormAmplitudesPa: [87.81, 1e6], stormMs: 50, postStormMs: 150, allocatorFailureRates: [0.01, 0.1, 0.5], allocatorFreeFractions: [0, 0.1], neuronFractions: [0.01, 0.1, 0.5], seed: 1 }
    : { quick, backend, workers: backend === 'cpu' ? 1 : workers, scale: 0.02, kScale: 0.1, trials: 8, warmupMs: 200, trainRounds: 30, testRounds: 8, adaptRounds: 30, corruptionFractions: [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.25, 0.5], stormRatesHz: [100, 300, 1000, 3000, 10000], stormAmplitudesPa: [87.81, 878.1, 1e6], stormMs: 100, postStormMs: 300, allocatorFailureRates: [0.001, 0.01, 0.03, 0.1, 0.3, 0.5], allocatorFreeFractions: [0, 0.001, 0.01, 0.1, 1], neuronFractions: [0.01, 0.03, 0.1, 0.3, 0.6, 0.9], seed: 1 };
}

/** Parameters of the corruption modes that need one (documented in the results). */
export const CORRUPTION_PARAMETERS: Record<string, Record<string, number>> = {
  'stuck-at-value': { value: 1000 },
  scale: { factor: 10 },
  'multiplicative-noise': { sigma: 0.5 },
  'gaussian-noise': { sigma: 100 },
};
