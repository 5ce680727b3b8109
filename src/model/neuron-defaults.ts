import type { NeuronParams } from './spec.js';

/** NEST's iaf_psc_exp defaults: what a user-defined population gets for any field it leaves out. */
export const NEURON_DEFAULTS: Readonly<NeuronParams> = Object.freeze({
  capacitancePf: 250,
  tauMembraneMs: 10,
  tauSynExcMs: 2,
  tauSynInhMs: 2,
  restingMv: -70,
  thresholdMv: -55,
  resetMv: -70,
  refractoryMs: 2,
  dcPa: 0,
});
