import type { GPU } from 'gpu.js';
import type { LifKernelParams } from '../cpu/lif_step.js';
import { FAULT_PARAM_STRIDE } from '../cpu/neuron_fault.js';
import { compileKernel, type GpuKernel, type KernelThis } from './kernel_types.js';

/** Per-population parameters, PARAM_STRIDE numbers each, in this order. */
export const PARAM_STRIDE = 12;
/** Output fields, each a flat [batch, neurons] block of the LifStep output. */
export const LIF_FIELDS = { membraneMv: 0, currentExcPa: 1, currentInhPa: 2, refractorySteps: 3, spiked: 4 } as const;
export const LIF_FIELD_COUNT = 5;

interface LifConstants {
  bn: number;
  n: number;
  pops: number;
  fps: number;
}

/**
 * One population's parameters for the kernel (a plain number array: in cpu
 * mode they stay float64 like the CPU kernel's, on GPU modes they become float32).
 * fusedWeightPa > 0 marks a population whose single excitatory Poisson drive
 * is fused into the update (as kernels/cpu/lif_step.ts does).
 */
export function lifParams(k: LifKernelParams, fusedWeightPa: number): number[] {
  return [k.restingMv, k.thresholdMv, k.resetMv, k.p20 * k.dcPa, k.p22, k.p11ex, k.p11in, k.p21ex, k.p21in, k.refractorySteps, fusedWeightPa, 0];
}

/**
 * LifStep (gpu.js): the iaf_psc_exp exact-integration step of
 * kernels/cpu/lif_step.ts and lif_step_faulted.ts, one thread per (field,
 * replica, neuron), output [5, batch, neurons] flat: membrane, excitatory and
 * inhibitory current, refractory count, spiked (0/1). gpu.js kernels write
 * one value per thread and kernel maps are not available on every mode, so
 * each field's thread recomputes the (cheap) update and returns its field.
 * Same expressions in the same order as the CPU kernel: in cpu mode they
 * evaluate in float64 with a float32 rounding where the CPU kernel stores
 * (the output array, or Math.fround for the fused drive), and the threshold
 * is compared before rounding, as there; so the states match bit for bit.
 * A neuron fault applies where the fault table holds a code and its
 * population is flagged as faulted for the replica (as the CPU backend runs
 * lifStepFaulted only there).
 */
export function lifStepKernel(
  this: KernelThis<LifConstants>,
  v: Float32Array,
  iEx: Float32Array,
  iIn: Float32Array,
  refractory: Int32Array,
  ringEx: Float32Array,
  ringIn: Float32Array,
  fusedCounts: Float32Array,
  popOf: Uint32Array,
  params: number[],
  faultCode: Uint8Array,
  faultParams: Float32Array,
  faultedPopulations: Uint8Array,
): number {
  const x = this.thread.x;
  const bn = this.constants.bn;
  const n = this.constants.n;
  const field = Math.floor(x / bn);
  const s = x - field * bn;
  const b = Math.floor(s / n);
  const i = s - b * n;
  const pop = popOf[i];
  const o = pop * 12;
  let arriving = ringEx[s];
  const wFused = params[o + 10];
  if (wFused > 0) arriving = Math.fround(arriving + fusedCounts[s] * wFused);
  const ex = iEx[s];
  const inh = iIn[s];
  if (field === 1) return ex * params[o + 5] + arriving;
  if (field === 2) return inh * params[o + 6] + ringIn[s];
  const el = params[o];
  const th = params[o + 1];
  const reset = params[o + 2];
  let vm = v[s];
  let ref = refractory[s];
  let spiked = 0;
  let code = 0;
  if (faultedPopulations[b * this.constants.pops + pop] > 0) code = faultCode[s];
  const p = s * this.constants.fps;
  if (code === 0) {
    if (ref === 0) vm = el + (vm - el) * params[o + 4] + params[o + 3] + ex * params[o + 7] + inh * params[o + 8];
    else ref = ref - 1;
    if (vm >= th) {
      ref = params[o + 9];
      vm = reset;
      spiked = 1;
    }
  } else if (code === 1) {
    // dead
    if (ref > 0) ref = ref - 1;
    vm = reset;
  } else if (code === 2) {
    // saturated
    vm = reset;
    if (ref > 0) {
      ref = ref - 1;
    } else {
      ref = params[o + 9];
      spiked = 1;
    }
  } else if (code === 3) {
    // stuck membrane
    vm = faultParams[p];
    if (ref > 0) {
      ref = ref - 1;
    } else if (vm >= th) {
      ref = params[o + 9];
      spiked = 1;
    }
  } else {
    // drifted parameters
    let next = vm;
    if (ref === 0) next = el + (vm - el) * faultParams[p + 1] + faultParams[p + 2] + ex * faultParams[p + 3] + inh * faultParams[p + 4];
    else ref = ref - 1;
    if (next >= faultParams[p]) {
      ref = faultParams[p + 5];
      vm = reset;
      spiked = 1;
    } else {
      vm = next;
    }
  }
  if (field === 0) return vm;
  if (field === 3) return ref;
  return spiked;
}

export function createLifStep(gpu: GPU, batch: number, neuronCount: number, populations: number): GpuKernel {
  const bn = batch * neuronCount;
  return compileKernel(gpu, lifStepKernel as unknown as (...args: never[]) => number, {
    output: [LIF_FIELD_COUNT * bn],
    constants: { bn, n: neuronCount, pops: populations, fps: FAULT_PARAM_STRIDE },
  });
}
