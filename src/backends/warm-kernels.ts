import { lifStep, lifStepF32, type GuardKernel, type LifBuffers } from '../../kernels/cpu/lif_step.js';
import { lifStepFaulted, lifStepFaultedF32 } from '../../kernels/cpu/lif_step_faulted.js';
import { lifStepGuarded, lifStepGuardedF32 } from '../../kernels/cpu/lif_step_guarded.js';
import { FAULT_DRIFT, FAULT_PARAM_STRIDE } from '../../kernels/cpu/neuron_fault.js';
import { DEFAULT_SATURATION_PA } from './guards.js';
import type { KernelPlan } from './kernel-plan.js';

const SCRATCH_NEURONS = 16;
const PASSES = 3;

/**
 * Runs each population's LifStep, lifStepGuarded and lifStepFaulted on a few
 * scratch neurons that take every path of their loop: refractory and spiking
 * neurons, fractional input, a random key beyond the small-integer range,
 * capped, NaN and non-finite values, and every fault code. Why: V8 compiles
 * the loop during the first steps from what it has seen so far. A path first
 * taken after that (the first refractory neuron, the first fractional input
 * at a comparison that had only seen zeros) deoptimises it, and whether the
 * code it compiles next is as fast was left to chance: the same 100 steps
 * took 38 ms in one process and 55 ms in the next. Each kernel has a loop of
 * its own (kernels/cpu/lif_run.ts), so warming one costs the others nothing.
 * Done once per thread and plan, on the plan's own parameter objects (so the
 * kernels see one object shape); the scratch state is thrown away and the
 * real state (guard counters included) is not touched. The kernels warmed
 * are those of plan.precision (the ones that will run).
 */
export function warmCpuKernels(plan: KernelPlan, guard: GuardKernel | null): void {
  const m = SCRATCH_NEURONS;
  const st: LifBuffers = {
    membraneMv: new Float32Array(m),
    currentExcPa: new Float32Array(m),
    currentInhPa: new Float32Array(m),
    refractorySteps: new Int32Array(m),
    ringExcPa: new Float32Array(m),
    ringInhPa: new Float32Array(m),
    faultCode: new Uint8Array(m),
    faultParams: new Float32Array(m * FAULT_PARAM_STRIDE),
  };
  const spikes = new Int32Array(m);
  const scratchGuard: GuardKernel = { capPa: guard ? guard.capPa : DEFAULT_SATURATION_PA, quarantineSteps: guard ? guard.quarantineSteps : 100, counters: new Float64Array(2), slot: 0 };
  const f32 = plan.precision === 'float32';
  const plain = f32 ? lifStepF32 : lifStep;
  const faulted = f32 ? lifStepFaultedF32 : lifStepFaulted;
  const guarded = f32 ? lifStepGuardedF32 : lifStepGuarded;
  for (const p of plan.populations) {
    const fused = p.fusedPoisson ? p.fusedScratch : null;
    const savedKey = p.fusedScratch.key;
    for (let pass = 0; pass < PASSES; pass++) {
      if (fused) fused.key = pass === 0 ? 0x9e3779b9 : 12345 + pass;
      fillScratch(st, p, m);
      plain(p.lif, fused, 0, m, 0, 0, st, spikes, 0);
      fillScratch(st, p, m);
      faulted(p.lif, fused, 0, m, 0, 0, st, spikes, 0);
      fillScratch(st, p, m);
      st.ringExcPa[1] = 4 * scratchGuard.capPa + 0.5;
      st.ringInhPa[2] = Number.NaN;
      st.currentExcPa[5] = Number.POSITIVE_INFINITY;
      st.membraneMv[7] = Number.NaN;
      guarded(p.lif, fused, scratchGuard, 0, m, 0, 0, st, spikes, 0);
    }
    p.fusedScratch.key = savedKey;
  }
}

/**
 * The scratch neurons' state before each warm-up pass. A function of the
 * module, not a closure of warmCpuKernels: V8 compiled the closure again in
 * every campaign job (15 times in 24 jobs, 109 ms of compiler thread),
 * where a module function is compiled once per process.
 */
function fillScratch(st: LifBuffers, p: KernelPlan['populations'][number], m: number): void {
  for (let i = 0; i < m; i++) {
    // Above threshold every fourth neuron, refractory every third, fractional input everywhere.
    st.membraneMv[i] = i % 4 === 0 ? p.lif.thresholdMv + 1.5 : p.lif.restingMv + 0.25 * i;
    st.currentExcPa[i] = 0.5 * i;
    st.currentInhPa[i] = -0.25 * i;
    st.refractorySteps[i] = i % 3 === 0 ? 2 : 0;
    st.ringExcPa[i] = 1.5 + i;
    st.ringInhPa[i] = -0.5 - i;
    // Every second neuron faulted, the codes in turn; drifted parameters close to the population's.
    st.faultCode[i] = i % 2 === 1 ? 1 + ((i >> 1) % FAULT_DRIFT) : 0;
    st.faultParams.set([p.lif.thresholdMv + 0.5, p.lif.p22, p.lif.p20 * p.lif.dcPa + 0.125, p.lif.p21ex, p.lif.p21in, p.lif.refractorySteps], i * FAULT_PARAM_STRIDE);
  }
}
