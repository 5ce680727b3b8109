import { check } from '../util/errors.js';
import { roundHalfEven } from '../util/math.js';
import type { NetworkSpec, NeuronParams, PopulationSpec, ProjectionSpec } from './spec.js';

/**
 * Potjans & Diesmann (2014) cortical microcircuit, parameterised as in NEST's
 * PyNEST example (pynest/examples/Potjans_2014): population sizes, the
 * connection-probability table, fixed-total-number connectivity, PSC
 * amplitudes from a 0.15 mV PSP, g = -4, L4E -> L23E doubled, normal delays,
 * Poisson background (or DC), population-specific initial potentials.
 */
export const MICROCIRCUIT_POPULATIONS = ['L23E', 'L23I', 'L4E', 'L4I', 'L5E', 'L5I', 'L6E', 'L6I'] as const;

export const MICROCIRCUIT_FULL_SIZES = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948] as const;

/** Connection probabilities: row = target population, column = source population. */
export const MICROCIRCUIT_CONN_PROBS: readonly (readonly number[])[] = [
  [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
  [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
  [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
  [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
  [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
  [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
  [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
  [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
];

/** External (background) in-degrees. */
export const MICROCIRCUIT_K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100] as const;

/** Full-scale rates (Hz) NEST uses to compensate in-degree scaling with DC input. */
export const MICROCIRCUIT_FULL_MEAN_RATES_HZ = [0.943, 3.026, 4.368, 5.882, 7.733, 8.664, 1.096, 7.851] as const;

/** NEST's published full-scale reference rates (Hz), the benchmark's comparison target. */
export const MICROCIRCUIT_REFERENCE_RATES_HZ = [0.9, 2.97, 4.41, 5.88, 7.57, 8.63, 1.11, 7.83] as const;

const V0_OPTIMIZED_MEAN_MV = [-68.28, -63.16, -63.33, -63.45, -63.11, -61.66, -66.72, -61.43];
const V0_OPTIMIZED_SD_MV = [5.36, 4.57, 4.74, 4.94, 4.94, 4.55, 5.46, 4.48];

export const MICROCIRCUIT_NEURON: Readonly<NeuronParams> = Object.freeze({
  capacitancePf: 250,
  tauMembraneMs: 10,
  tauSynExcMs: 0.5,
  tauSynInhMs: 0.5,
  restingMv: -65,
  thresholdMv: -50,
  resetMv: -65,
  refractoryMs: 2,
  dcPa: 0,
});

const PSP_EXC_MV = 0.15;
const WEIGHT_REL_SD = 0.1;
const G = -4;
const BG_RATE_HZ = 8;
const DELAY_EXC_MS = 1.5;
const DELAY_INH_MS = 0.75;
const DELAY_REL_SD = 0.5;

export interface MicrocircuitOptions {
  /** Scales neuron counts. @defaultValue 0.1 */
  scale?: number;
  /** Scales in-degrees; below 1, weights grow by 1/sqrt(kScale) and a DC restores the lost mean input. @defaultValue 1 */
  kScale?: number;
  /** Background input: Poisson spike trains, or the DC that carries their mean (for benchmarking). @defaultValue 'poisson' */
  background?: 'poisson' | 'dc';
  /** Initial membrane potentials: population-specific ('optimized', NEST's default) or N(-58, 10) mV ('original'). @defaultValue 'optimized' */
  initialPotential?: 'optimized' | 'original';
}

/** PSC amplitude (pA) that gives a PSP peak of 1 mV for iaf_psc_exp with the model's time constants. */
export function pscPerPsp(neuron: NeuronParams): number {
  const { capacitancePf: c, tauMembraneMs: tm, tauSynExcMs: ts } = neuron;
  const a = tm / ts;
  const peak = ((tm * ts) / (c * (ts - tm))) * (Math.pow(a, -tm / (tm - ts)) - Math.pow(a, -ts / (tm - ts)));
  return 1 / peak;
}

export function microcircuitSpec(options: MicrocircuitOptions = {}): NetworkSpec {
  const scale = options.scale ?? 0.1;
  const kScale = options.kScale ?? 1;
  const background = options.background ?? 'poisson';
  check(Number.isFinite(scale) && scale >= 0.001 && scale <= 1, 'scale', () => `must be a number in [0.001, 1] (got ${scale})`);
  check(Number.isFinite(kScale) && kScale >= 0.001 && kScale <= 1, 'kScale', () => `must be a number in [0.001, 1] (got ${kScale})`);

  const neuron = MICROCIRCUIT_NEURON;
  const nPops = MICROCIRCUIT_POPULATIONS.length;
  const sizes = MICROCIRCUIT_FULL_SIZES.map((n) => roundHalfEven(n * scale));
  const pscPerMv = pscPerPsp(neuron);
  const wExc = PSP_EXC_MV * pscPerMv;

  // Mean PSC per (target, source), full-scale synapse counts and in-degrees.
  const meanW: number[][] = [];
  const fullSyn: number[][] = [];
  for (let t = 0; t < nPops; t++) {
    meanW.push([]);
    fullSyn.push([]);
    for (let s = 0; s < nPops; s++) {
      const w = s % 2 === 0 ? wExc : G * wExc;
      meanW[t].push(t === 0 && s === 2 ? 2 * w : w);
      const prod = MICROCIRCUIT_FULL_SIZES[t] * MICROCIRCUIT_FULL_SIZES[s];
      const p = MICROCIRCUIT_CONN_PROBS[t][s];
      fullSyn[t].push(p === 0 ? 0 : Math.log(1 - p) / Math.log((prod - 1) / prod));
    }
  }

  const extIndegree = MICROCIRCUIT_K_EXT.map((k) => roundHalfEven(k * kScale));
  let wExt = wExc;
  const dcPa = new Array<number>(nPops).fill(0);
  if (background === 'dc') {
    for (let t = 0; t < nPops; t++) dcPa[t] = BG_RATE_HZ * extIndegree[t] * wExt * neuron.tauSynExcMs * 0.001;
  }
  const wScale = kScale === 1 ? 1 : 1 / Math.sqrt(kScale);
  if (kScale !== 1) {
    // Mean input lost by shrinking in-degrees, given back as DC (van Albada et al. 2015).
    for (let t = 0; t < nPops; t++) {
      let recurrent = 0;
      for (let s = 0; s < nPops; s++) {
        recurrent += meanW[t][s] * (fullSyn[t][s] / MICROCIRCUIT_FULL_SIZES[t]) * MICROCIRCUIT_FULL_MEAN_RATES_HZ[s];
      }
      let lost = recurrent;
      if (background === 'poisson') lost += wExt * MICROCIRCUIT_K_EXT[t] * BG_RATE_HZ;
      dcPa[t] += 0.001 * neuron.tauSynExcMs * (1 - Math.sqrt(kScale)) * lost;
    }
    wExt *= wScale;
  }

  const populations: PopulationSpec[] = MICROCIRCUIT_POPULATIONS.map((name, i) => {
    check(sizes[i] >= 1, 'scale', () => `is too small: population ${name} would have no neurons (got scale ${scale})`);
    const initialPotential =
      options.initialPotential === 'original'
        ? ({ kind: 'normal', meanMv: -58, sdMv: 10 } as const)
        : ({ kind: 'normal', meanMv: V0_OPTIMIZED_MEAN_MV[i], sdMv: V0_OPTIMIZED_SD_MV[i] } as const);
    const drives: PopulationSpec['drives'] = [];
    if (background === 'poisson') drives.push({ kind: 'poisson', rateHz: BG_RATE_HZ * extIndegree[i], weightPa: wExt });
    if (dcPa[i] !== 0) drives.push({ kind: 'dc', currentPa: dcPa[i] });
    return { name, size: sizes[i], neuron: { ...neuron }, initialPotential, drives };
  });

  const projections: ProjectionSpec[] = [];
  for (let t = 0; t < nPops; t++) {
    for (let s = 0; s < nPops; s++) {
      const count = roundHalfEven(fullSyn[t][s] * scale * kScale);
      if (count === 0) continue;
      const mean = meanW[t][s] * wScale;
      const delayMean = s % 2 === 0 ? DELAY_EXC_MS : DELAY_INH_MS;
      projections.push({
        source: MICROCIRCUIT_POPULATIONS[s],
        target: MICROCIRCUIT_POPULATIONS[t],
        rule: { kind: 'fixed-total-number', count },
        weightPa: { kind: 'normal', mean, sd: Math.abs(mean) * WEIGHT_REL_SD },
        delayMs: { kind: 'normal', mean: delayMean, sd: delayMean * DELAY_REL_SD },
      });
    }
  }
  return { name: 'microcircuit', populations, projections };
}
