/**
 * The model as data: what a user writes (in TypeScript, YAML or JSON) and what
 * the built-in presets produce. Units are in the field names.
 */

/** Leaky integrate-and-fire neuron with exponential current synapses (NEST iaf_psc_exp). */
export interface NeuronParams {
  capacitancePf: number;
  tauMembraneMs: number;
  tauSynExcMs: number;
  tauSynInhMs: number;
  restingMv: number;
  thresholdMv: number;
  resetMv: number;
  refractoryMs: number;
  /** Constant input current (NEST's I_e). */
  dcPa: number;
}

export type InitialPotential =
  | { kind: 'constant'; valueMv: number }
  | { kind: 'normal'; meanMv: number; sdMv: number }
  | { kind: 'uniform'; lowMv: number; highMv: number };

/** External drive into a population. */
export type Drive =
  /** Independent Poisson input per neuron: `rateHz` is the summed rate of all its sources. */
  | { kind: 'poisson'; rateHz: number; weightPa: number }
  | { kind: 'dc'; currentPa: number };

export interface PopulationSpec {
  name: string;
  size: number;
  neuron: NeuronParams;
  initialPotential: InitialPotential;
  drives: Drive[];
}

export type ConnectionRule =
  /** Exactly `count` synapses, source and target drawn uniformly; multapses and autapses allowed (NEST fixed_total_number). */
  | { kind: 'fixed-total-number'; count: number }
  /** Each (source, target) pair independently with probability p; no multapses. */
  | { kind: 'pairwise-probability'; probability: number; allowAutapses: boolean }
  /** Each target receives exactly `indegree` synapses from uniformly drawn sources (multapses allowed). */
  | { kind: 'fixed-indegree'; indegree: number; allowAutapses: boolean };

/**
 * A distribution of a synaptic quantity. Normal draws are redrawn (not clipped)
 * until they keep the sign of the mean, as NEST's `redraw` does for weights.
 */
export type Distribution =
  | { kind: 'constant'; value: number }
  | { kind: 'normal'; mean: number; sd: number };

export interface ProjectionSpec {
  source: string;
  target: string;
  rule: ConnectionRule;
  /** Synaptic current amplitude in pA; negative is inhibitory. */
  weightPa: Distribution;
  /** Transmission delay in ms, rounded to the time grid and clipped to at least one step. */
  delayMs: Distribution;
}

export interface NetworkSpec {
  name: string;
  populations: PopulationSpec[];
  projections: ProjectionSpec[];
}

export const MAX_DELAY_STEPS = 255;
