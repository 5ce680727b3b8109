import type { NetworkSpec, NeuronParams } from './spec.js';

/**
 * Vogels & Abbott (2005) current-based balanced network, as in Brian2's CUBA
 * example: 4000 neurons (3200 excitatory), p = 0.02, tau_m 20 ms, tau_e 5 ms,
 * tau_i 10 ms, V_t -50, V_r -60, E_l -49 mV, w_e 1.62 mV, w_i -9 mV, 5 ms
 * refractory, V0 uniform in [V_r, V_t]. Activity is self-sustained (E_l sits
 * above threshold), so there is no external drive.
 *
 * Brian2 writes the synaptic variables in mV (dv/dt = (ge + gi - (v - El)) / taum);
 * as currents, a jump of w mV in ge is a jump of w * C / tau_m pA. Brian2's
 * zero delay becomes one time step, the shortest a delay ring can carry.
 */
const CAPACITANCE_PF = 200;
const TAU_M_MS = 20;

export const CUBA_NEURON: Readonly<NeuronParams> = Object.freeze({
  capacitancePf: CAPACITANCE_PF,
  tauMembraneMs: TAU_M_MS,
  tauSynExcMs: 5,
  tauSynInhMs: 10,
  restingMv: -49,
  thresholdMv: -50,
  resetMv: -60,
  refractoryMs: 5,
  dcPa: 0,
});

const mvToPa = (mv: number) => (mv * CAPACITANCE_PF) / TAU_M_MS;

export interface CubaOptions {
  /** Scales the neuron count (connection probability stays 0.02). @defaultValue 1 */
  scale?: number;
}

export function cubaSpec(options: CubaOptions = {}): NetworkSpec {
  const scale = options.scale ?? 1;
  const nExc = Math.max(1, Math.round(3200 * scale));
  const nInh = Math.max(1, Math.round(800 * scale));
  const initialPotential = { kind: 'uniform', lowMv: -60, highMv: -50 } as const;
  const delayMs = { kind: 'constant', value: 0.1 } as const;
  return {
    name: 'cuba',
    populations: [
      { name: 'E', size: nExc, neuron: { ...CUBA_NEURON }, initialPotential, drives: [] },
      { name: 'I', size: nInh, neuron: { ...CUBA_NEURON }, initialPotential, drives: [] },
    ],
    projections: ['E', 'I'].flatMap((target) => [
      { source: 'E', target, rule: { kind: 'pairwise-probability', probability: 0.02, allowAutapses: true } as const, weightPa: { kind: 'constant', value: mvToPa(1.62) } as const, delayMs },
      { source: 'I', target, rule: { kind: 'pairwise-probability', probability: 0.02, allowAutapses: true } as const, weightPa: { kind: 'constant', value: mvToPa(-9) } as const, delayMs },
    ]),
  };
}
