import type { NeuronParams } from './spec.js';
import { roundedSteps } from '../util/time-steps.js';

/**
 * Exact-integration propagators for iaf_psc_exp over one step h (Rotter &
 * Diesmann 1999): with I_syn(t) decaying as exp(-t / tau_syn),
 *   V(t+h) - E_L = P22 (V - E_L) + P20 I_dc + P21ex I_ex + P21in I_in
 *   I_x(t+h)     = P11x I_x + input arriving at t+h
 */
export interface Propagators {
  p22: number;
  p20: number;
  p11ex: number;
  p11in: number;
  p21ex: number;
  p21in: number;
  refractorySteps: number;
}

export function computePropagators(n: NeuronParams, dtMs: number): Propagators {
  const p22 = Math.exp(-dtMs / n.tauMembraneMs);
  return {
    p22,
    p20: (n.tauMembraneMs / n.capacitancePf) * (1 - p22),
    p11ex: Math.exp(-dtMs / n.tauSynExcMs),
    p11in: Math.exp(-dtMs / n.tauSynInhMs),
    p21ex: propagator32(n.tauSynExcMs, n.tauMembraneMs, n.capacitancePf, dtMs),
    p21in: propagator32(n.tauSynInhMs, n.tauMembraneMs, n.capacitancePf, dtMs),
    // NEST: RefractoryCounts = Time(Time::ms(t_ref)).get_steps(), the nearest step (src/util/time-steps.ts).
    refractorySteps: roundedSteps(n.refractoryMs, dtMs, 'refractoryMs', { minSteps: 0 }),
  };
}

/** Membrane response after h to a unit current decaying with tau_syn (the tau_syn -> tau_m limit handled). */
export function propagator32(tauSyn: number, tauM: number, c: number, h: number): number {
  const diff = tauM - tauSyn;
  if (Math.abs(diff) < 1e-9 * tauM) return (h / c) * Math.exp(-h / tauM);
  // expm1 keeps precision when the two exponentials are close.
  const a = Math.exp(-h / tauM);
  const b = -Math.expm1(-h / tauSyn + h / tauM); // 1 - exp(-h/tauSyn + h/tauM)
  return ((tauSyn * tauM) / (c * diff)) * a * b;
}
