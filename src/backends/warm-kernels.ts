import { lifStep, type GuardKernel } from '../../kernels/cpu/lif_step.js';
import { lifStepFaulted } from '../../kernels/cpu/lif_step_faulted.js';
import { lifStepGuarded } from '../../kernels/cpu/lif_step_guarded.js';
import { FAULT_DRIFT, FAULT_PARAM_STRIDE } from '../../kernels/cpu/neuron_fault.js';
import { DEFAULT_SATURATION_PA } from './guards.js';
import type { KernelPlan } from './kernel-plan.js';

const SCRATCH_NEURONS = 16;
const PASSES = 3;

/**
 * Runs each population's LifStep on a few scratch neurons that take every
 * path of the loop, in all three of its modes (plain, guarded, faulted: the
 * three kernels share one loop, lifRun in kernels/cpu/lif_step.ts):
 * refractory and spiking neurons, fractional input, a random key beyond the
 * small-integer range, capped, NaN and non-finite values, and every fault
 * code. Why: V8 compiles the loop during the first steps from what it has seen
 * so far. A path first taken after that (the first refractory neuron, the
 * first fractional input at a comparison that had only seen zeros, the first
 * guarded or faulted run) deoptimises it, and whether the code it compiles
 * next is as fast was left to chance: the same 100 steps took 38 ms in one
 * process and 55 ms in the next. Done once per thread and plan, on the plan's
 * own parameter objects (so the kernels see one object shape); the scratch
 * state is thrown away and the real state (guard counters included) is not
 * touched.
 */
export function warmCpuKernels(plan: KernelPlan, guard: GuardKernel | null): void {
  const m = SCRATCH_NEURONS;
  const v = new Float32Array(m);
  const iEx = new Float32Array(m);
  const iIn = new Float32Array(m);
  const refractory = new Int32Array(m);
  const ringEx = new Float32Array(m);
  const ringIn = new Float32Array(m);
  const spikes = new Int32Array(m);
  const faultCode = new Uint8Array(m);
  const faultParams = new Float32Array(m * FAULT_PARAM_STRIDE);
  const scratchGuard: GuardKernel = { capPa: guard ? guard.capPa : DEFAULT_SATURATION_PA, quarantineSteps: guard ? guard.quarantineSteps : 100, counters: new Float64Array(2), slot: 0 };
  for (const p of plan.populations) {
    const fused = p.fusedPoisson ? p.fusedScratch : null;
    const savedKey = p.fusedScratch.key;
    const fill = () => {
      for (let i = 0; i < m; i++) {
        // Above threshold every fourth neuron, refractory every third, fractional input everywhere.
        v[i] = i % 4 === 0 ? p.lif.thresholdMv + 1.5 : p.lif.restingMv + 0.25 * i;
        iEx[i] = 0.5 * i;
        iIn[i] = -0.25 * i;
        refractory[i] = i % 3 === 0 ? 2 : 0;
        ringEx[i] = 1.5 + i;
        ringIn[i] = -0.5 - i;
        // Every second neuron faulted, all codes in turn; drifted parameters close to the population's.
        faultCode[i] = i % 2 === 1 ? 1 + ((i >> 1) % FAULT_DRIFT) : 0;
        faultParams.set([p.lif.thresholdMv + 0.5, p.lif.p22, p.lif.p20 * p.lif.dcPa + 0.125, p.lif.p21ex, p.lif.p21in, p.lif.refractorySteps], i * FAULT_PARAM_STRIDE);
      }
    };
    for (let pass = 0; pass < PASSES; pass++) {
      if (fused) fused.key = pass === 0 ? 0x9e3779b9 : 12345 + pass;
      fill();
      lifStep(p.lif, fused, 0, m, 0, 0, v, iEx, iIn, refractory, ringEx, ringIn, spikes, 0);
      fill();
      lifStepFaulted(p.lif, fused, 0, m, 0, 0, v, iEx, iIn, refractory, ringEx, ringIn, faultCode, faultParams, spikes, 0);
      fill();
      ringEx[1] = 4 * scratchGuard.capPa + 0.5;
      ringIn[2] = Number.NaN;
      iEx[5] = Number.POSITIVE_INFINITY;
      v[7] = Number.NaN;
      lifStepGuarded(p.lif, fused, scratchGuard, 0, m, 0, 0, v, iEx, iIn, refractory, ringEx, ringIn, spikes, 0);
    }
    p.fusedScratch.key = savedKey;
  }
}
