import { lifRunPlain, lifRunPlainF32 } from './lif_run.js';
import type { PoissonTable } from './poisson_drive.js';

/**
 * LifStep: one exact-integration step of iaf_psc_exp neurons [from, to) of one
 * population in one replica, in NEST's order: membrane (unless refractory)
 * with the currents of the previous step, then currents decay and take this
 * step's arriving input, then threshold, reset and refractory countdown.
 *
 * With `poisson`, a single excitatory Poisson drive is fused in: its input is
 * added to the arriving input and rounded to float32 exactly as the ring
 * buffer would have stored it, so the result is bit-identical to running
 * PoissonDrive first. Ranges holding faulted neurons run lifStepFaulted
 * instead, and lifStepGuarded runs where guards are on. Neuron i's state is at
 * stateOffset + i of the state buffers, its input at ringOffset + i of the
 * rings. Writes spiking neuron indices into `spikes` from `count`; returns the
 * new count. No allocation.
 *
 * One source: the update itself is lifRun (lif_run.ts), which all three
 * kernels run.
 */
export interface LifKernelParams {
  restingMv: number;
  thresholdMv: number;
  resetMv: number;
  /** Constant current: the neuron's own dcPa plus DC drives. */
  dcPa: number;
  p22: number;
  p20: number;
  p11ex: number;
  p11in: number;
  p21ex: number;
  p21in: number;
  refractorySteps: number;
}

/**
 * Guards (a defence the simulator can switch off; fused into LifStep by
 * lif_step_guarded.ts, run as passes by guard_scan.ts around the faulted
 * kernel and on gpu.js): arriving input per step is capped at +-capPa and a
 * non-finite input is dropped; a neuron whose membrane or currents become
 * non-finite is reset, its currents zeroed, and quarantined (held
 * refractory) for quarantineSteps. Counts go to counters[2 * slot]
 * (contained) and counters[2 * slot + 1] (inputs capped or dropped).
 */
export interface GuardKernel {
  capPa: number;
  quarantineSteps: number;
  counters: Float64Array;
  slot: number;
}

export interface FusedPoisson {
  table: PoissonTable;
  weightPa: number;
  key: number;
}

/**
 * The state buffers the LIF kernels read and write (SimulationState in
 * src/backends/simulation-state.ts extends it): per neuron of each replica
 * ([batch * neurons]) the membrane (mV), currents (pA), refractory steps left
 * and fault code (0 = healthy, kernels/cpu/neuron_fault.ts),
 * FAULT_PARAM_STRIDE fault parameters per neuron, and the rings of arriving
 * input ([slots * batch * neurons], pA).
 */
export interface LifBuffers {
  membraneMv: Float32Array;
  currentExcPa: Float32Array;
  currentInhPa: Float32Array;
  refractorySteps: Int32Array;
  ringExcPa: Float32Array;
  ringInhPa: Float32Array;
  faultCode: Uint8Array;
  faultParams: Float32Array;
}

export function lifStep(k: LifKernelParams, poisson: FusedPoisson | null, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  return lifRunPlain(k, poisson, from, to, stateOffset, ringOffset, st, spikes, count);
}

/**
 * LifStep in single precision (SimulationOptions.precision 'float32'): every
 * operation of the update rounded to float32 (lifRun with f32, lif_run.ts);
 * `k` must hold float32 values (planKernels rounds them for that precision).
 */
export function lifStepF32(k: LifKernelParams, poisson: FusedPoisson | null, from: number, to: number, stateOffset: number, ringOffset: number, st: LifBuffers, spikes: Int32Array, count: number): number {
  return lifRunPlainF32(k, poisson, from, to, stateOffset, ringOffset, st, spikes, count);
}
