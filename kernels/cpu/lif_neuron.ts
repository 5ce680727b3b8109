import { bitsAt } from './counter_rng.js';
import type { FusedPoisson } from './lif_step.js';
import { poissonFromLut } from './poisson_drive.js';

/** Per-neuron pieces of the LIF update that the kernels' loop (lif_run.ts) and their slow paths share. */

/**
 * The membrane after one step of exact integration (NEST iaf_psc_exp, Rotter &
 * Diesmann 1999): V' = E_L + (V - E_L) P22 + P20 I_e + P21ex I_ex + P21in I_in,
 * with the currents of the previous step and dcTerm = P20 I_e. Every CPU
 * kernel integrates through this (a drifted neuron with its own propagators);
 * V8 inlines it into lifRun's loop.
 */
export function integratedMv(vm: number, ex: number, inh: number, restingMv: number, p22: number, dcTerm: number, p21ex: number, p21in: number): number {
  return restingMv + (vm - restingMv) * p22 + dcTerm + ex * p21ex + inh * p21in;
}

/**
 * integratedMv in single precision (SimulationOptions.precision 'float32'):
 * the same operations in the same order, each rounded to float32 (an
 * operation on float32 values done in float64 and rounded once is the
 * float32 operation, bit for bit: float64 has more than twice float32's
 * significand bits), as the f32x4 wasm kernel computes it. Arguments must be
 * float32 values (the plan rounds the parameters once: kernel-plan.ts).
 */
export function integratedMvF32(vm: number, ex: number, inh: number, restingMv: number, p22: number, dcTerm: number, p21ex: number, p21in: number): number {
  const f = Math.fround;
  return f(f(f(f(restingMv + f(f(vm - restingMv) * p22)) + dcTerm) + f(ex * p21ex)) + f(inh * p21in));
}

/** The arriving excitatory input of neuron i: its ring slot plus the fused drive, as lifRun computes it (for the guarded kernel's slow path). */
export function arrivingExcPa(poisson: FusedPoisson | null, i: number, slotPa: number): number {
  return poisson === null ? slotPa : Math.fround(slotPa + poissonFromLut(poisson.table.lut, poisson.table.thresholds, bitsAt(poisson.key, i)) * poisson.weightPa);
}
