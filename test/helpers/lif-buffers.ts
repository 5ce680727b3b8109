import type { LifBuffers } from '../../kernels/cpu/lif_step.js';
import { FAULT_PARAM_STRIDE } from '../../kernels/cpu/neuron_fault.js';

/**
 * `n` neurons' LIF buffers from a seed: membranes across threshold, currents
 * of both signs, some neurons refractory, arriving input in both rings;
 * no faults (faultCode 0, faultParams 0). Deterministic in (n, seed).
 */
export function seededLifBuffers(n: number, seed: number): LifBuffers {
  const x = (i: number, j: number) => Math.sin(seed * 7919 + i * 31 + j) * 0.5 + 0.5;
  return {
    membraneMv: Float32Array.from({ length: n }, (_, i) => -70 + 22 * x(i, 0)),
    currentExcPa: Float32Array.from({ length: n }, (_, i) => 500 * x(i, 1)),
    currentInhPa: Float32Array.from({ length: n }, (_, i) => -400 * x(i, 2)),
    refractorySteps: Int32Array.from({ length: n }, (_, i) => (x(i, 3) < 0.2 ? Math.floor(20 * x(i, 4)) : 0)),
    ringExcPa: Float32Array.from({ length: n }, (_, i) => 90 * x(i, 5)),
    ringInhPa: Float32Array.from({ length: n }, (_, i) => -90 * x(i, 6)),
    faultCode: new Uint8Array(n),
    faultParams: new Float32Array(n * FAULT_PARAM_STRIDE),
  };
}

/** A copy of every buffer. */
export function copyLifBuffers(st: LifBuffers): LifBuffers {
  return Object.fromEntries(Object.entries(st).map(([k, a]) => [k, (a as Float32Array).slice()])) as unknown as LifBuffers;
}
