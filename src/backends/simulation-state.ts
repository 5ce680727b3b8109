import type { Network } from '../model/network.js';
import { StreamRng } from '../util/rng.js';
import { defaultAllocator, type Allocator } from '../memory/allocator.js';
import { FAULT_PARAM_STRIDE } from '../../kernels/cpu/neuron_fault.js';
import type { LifBuffers } from '../../kernels/cpu/lif_step.js';
import type { StateBufferName } from './backend.js';
import { roundedSteps } from '../util/time-steps.js';

/**
 * Per-replica dynamic state, replica-major. Ring slots hold input arriving at
 * step mod ringSlots. The buffers the LIF kernels take (LifBuffers: membrane,
 * currents, refractory count, rings, fault code per (replica, neuron), 0 =
 * healthy, and FAULT_PARAM_STRIDE fault parameters each) plus these.
 */
export interface SimulationState extends LifBuffers {
  batch: number;
  neuronCount: number;
  ringSlots: number;
  /** 1 where a (replica, population) holds a faulted neuron: only there the slower faulted kernel runs. */
  faultedPopulations: Uint8Array;
  /** Noise stream of each replica [batch]: the replica's key in the counter-based generator (noise-streams.ts). */
  noiseStreams: Uint32Array;
}

/** The arrays that make up the dynamic state a checkpoint holds (the fault table belongs to the chaos layer, not to checkpoints). */
export const DYNAMIC_STATE_KEYS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa'] as const;
export type DynamicStateKey = (typeof DYNAMIC_STATE_KEYS)[number];
export type DynamicState = Pick<SimulationState, DynamicStateKey>;

/** Copies of the dynamic arrays, each made by `copy`. */
export function copyDynamicState(state: DynamicState, copy: <T extends Float32Array | Int32Array>(a: T) => T = (a) => a.slice() as typeof a): DynamicState {
  const out = {} as Record<DynamicStateKey, Float32Array | Int32Array>;
  for (const k of DYNAMIC_STATE_KEYS) out[k] = copy(state[k]);
  return out as DynamicState;
}

/** Writes saved dynamic arrays back into live ones. */
export function applyDynamicState(saved: DynamicState, state: DynamicState): void {
  for (const k of DYNAMIC_STATE_KEYS) (state[k] as Float32Array).set(saved[k] as Float32Array);
}

/** Every array of a state, for accounting. */
function allArrays(state: SimulationState): ArrayBufferView[] {
  return [...DYNAMIC_STATE_KEYS.map((k) => state[k]), state.faultCode, state.faultParams, state.faultedPopulations, state.noiseStreams];
}

/** Extra delay a partition may add to a spike: ring slots kept free for it. */
export const PARTITION_DELAY_HEADROOM_MS = 5;

export function partitionHeadroomSteps(network: Network): number {
  return roundedSteps(PARTITION_DELAY_HEADROOM_MS, network.dtMs, 'partition headroom', { minSteps: 0 });
}

/**
 * Ring size: enough slots that input up to the longest delay (plus a
 * partition's extra delay) never overwrites input not yet consumed, in any
 * engine. The same for every backend, so checkpoints move between them.
 */
export function ringSlotsFor(network: Network): number {
  return network.maxDelaySteps + network.minDelaySteps + partitionHeadroomSteps(network);
}

export function allocateState(network: Network, batch: number, shared: boolean, allocator: Allocator = defaultAllocator): SimulationState {
  const n = network.neuronCount;
  const slots = ringSlotsFor(network);
  const allocArray = <T extends ArrayBufferView>(ctor: { new (b: ArrayBufferLike, o?: number, l?: number): T; BYTES_PER_ELEMENT: number }, length: number, sh: boolean) =>
    allocator.allocate(ctor, length, sh, 'simulation state');
  return {
    batch,
    neuronCount: n,
    ringSlots: slots,
    membraneMv: allocArray(Float32Array, batch * n, shared),
    currentExcPa: allocArray(Float32Array, batch * n, shared),
    currentInhPa: allocArray(Float32Array, batch * n, shared),
    refractorySteps: allocArray(Int32Array, batch * n, shared),
    ringExcPa: allocArray(Float32Array, slots * batch * n, shared),
    ringInhPa: allocArray(Float32Array, slots * batch * n, shared),
    faultCode: allocArray(Uint8Array, batch * n, shared),
    faultParams: allocArray(Float32Array, batch * n * FAULT_PARAM_STRIDE, shared),
    faultedPopulations: allocArray(Uint8Array, batch * network.populations.length, shared),
    noiseStreams: identityMap(allocArray(Uint32Array, batch, shared)),
  };
}

/** The identity replica-to-noise-stream map, written in place (the array stays the allocator's). */
function identityMap(streams: Uint32Array): Uint32Array {
  for (let b = 0; b < streams.length; b++) streams[b] = b;
  return streams;
}

/**
 * Draws initial membrane potentials of every replica from the named stream
 * of its noise stream (state.noiseStreams): replicas sharing a noise stream
 * start from the same potentials.
 */
export function initializeState(state: SimulationState, network: Network, seed: number): void {
  for (let b = 0; b < state.batch; b++) {
    for (const pop of network.populations) {
      const rng = new StreamRng(`${seed}:v0:${state.noiseStreams[b]}:${pop.index}`);
      const base = b * state.neuronCount + pop.start;
      const v0 = pop.initialPotential;
      for (let i = 0; i < pop.size; i++) {
        let v: number;
        if (v0.kind === 'constant') v = v0.valueMv;
        else if (v0.kind === 'normal') v = v0.meanMv + v0.sdMv * rng.normal();
        else v = v0.lowMv + (v0.highMv - v0.lowMv) * rng.uniform();
        state.membraneMv[base + i] = v;
      }
    }
  }
}

/** Gives the state's buffers back to the allocator. */
export function releaseState(state: SimulationState, allocator: Allocator = defaultAllocator): void {
  for (const a of allArrays(state)) allocator.release(a);
}

export function stateBuffer(state: SimulationState, name: StateBufferName): Float32Array | Int32Array | Uint8Array {
  return state[name];
}

export function stateBytes(state: SimulationState): number {
  return allArrays(state).reduce((sum, x) => sum + x.byteLength, 0);
}
