import { createHash } from 'node:crypto';
import type { Network } from '../model/network.js';
import type { SpikeRecorder } from '../record/spike-recorder.js';
import { InputError } from '../util/errors.js';
import { DEFAULT_PRECISION, type Precision } from './precision.js';
import { identityNoiseStreams, validateNoiseStreams } from './noise-streams.js';
import { applyDynamicState, copyDynamicState, type DynamicState, type SimulationState } from './simulation-state.js';

/** What a checkpoint must match to be restored: the network it was taken from, and the batch. */
export interface NetworkIdentity {
  name: string;
  neuronCount: number;
  synapseCount: number;
  buildSeed: number;
  dtMs: number;
  /** SHA-256 of the validated spec: with the seed, it determines the connectivity. */
  specHash: string;
}

/**
 * The whole dynamic state of a simulation at a step boundary: membranes,
 * currents, refractory counters, delay rings, step (the generator counter:
 * per-step randomness is keyed by step), spikes recorded so far and counters.
 * The same for every backend, so a checkpoint taken on one restores on another.
 */
export interface SimulationCheckpoint extends DynamicState {
  network: NetworkIdentity;
  batch: number;
  seed: number;
  step: number;
  synapticEvents: number;
  countFromStep: number;
  ringSlots: number;
  /** Per replica, flattened (step, neuron) pairs. */
  spikes: Int32Array[];
  /** Spike counts per (replica, neuron) since countFromStep. */
  counts: Uint32Array;
  /** Noise stream of each replica (noise-streams.ts); absent in checkpoints written before the map existed: the identity. */
  noiseStreams?: number[];
  /** The LIF update's arithmetic of the run it was taken from (SimulationOptions.precision); absent in checkpoints written before it: float64. */
  precision?: Precision;
}

export function networkIdentity(network: Network): NetworkIdentity {
  return {
    name: network.name,
    neuronCount: network.neuronCount,
    synapseCount: network.synapseCount,
    buildSeed: network.seed,
    dtMs: network.dtMs,
    specHash: createHash('sha256').update(JSON.stringify(network.spec)).digest('hex'),
  };
}

export function captureCheckpoint(network: Network, state: SimulationState, recorder: SpikeRecorder, seed: number, step: number, synapticEvents: number, precision: Precision = DEFAULT_PRECISION): SimulationCheckpoint {
  return {
    network: networkIdentity(network),
    batch: state.batch,
    seed,
    step,
    synapticEvents,
    countFromStep: recorder.countFromStep,
    ringSlots: state.ringSlots,
    ...copyDynamicState(state),
    spikes: recorder.stores.map((s) => s.toPairs()),
    counts: recorder.counts.slice(),
    noiseStreams: Array.from(state.noiseStreams),
    precision,
  };
}

/** The checkpoint's noise-stream map, checked (the identity for a checkpoint without one). */
export function checkpointNoiseStreams(cp: SimulationCheckpoint, field = 'checkpoint'): number[] {
  return cp.noiseStreams === undefined ? identityNoiseStreams(cp.batch) : validateNoiseStreams(cp.noiseStreams, cp.batch, `${field}.noiseStreams`);
}

/**
 * Refuses a checkpoint taken from another network or batch, naming what
 * differs, and one taken in another precision than `precision` (a run
 * continued in the other arithmetic would be neither run): InputError on
 * `precision`, naming both.
 */
export function checkCompatible(cp: SimulationCheckpoint, network: Network, state: SimulationState, precision: Precision, field = 'checkpoint'): void {
  const id = networkIdentity(network);
  for (const key of Object.keys(id) as (keyof NetworkIdentity)[]) {
    if (cp.network[key] !== id[key]) {
      throw new InputError(field, `was taken from a different network: ${key} is ${JSON.stringify(cp.network[key])} there, ${JSON.stringify(id[key])} here (build the same model, scale, seed and dt)`);
    }
  }
  if (cp.batch !== state.batch) throw new InputError(field, `holds batch ${cp.batch}, this simulation has batch ${state.batch}`);
  if (cp.ringSlots !== state.ringSlots) throw new InputError(field, `has ${cp.ringSlots} ring slots, expected ${state.ringSlots}`);
  checkpointNoiseStreams(cp, field);
  const taken = cp.precision ?? DEFAULT_PRECISION;
  if (taken !== precision) throw new InputError('precision', `is ${precision}, but the checkpoint was taken in ${taken}: restore it with precision ${taken}, or the run would go on in other arithmetic than it started in`);
}

/** Writes a checkpoint's state into live buffers (the same object layout every backend uses), noise-stream map included. */
export function applyCheckpointState(cp: SimulationCheckpoint, state: SimulationState): void {
  applyDynamicState(cp, state);
  state.noiseStreams.set(checkpointNoiseStreams(cp));
}
