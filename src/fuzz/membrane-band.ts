import { DEFAULT_SATURATION_PA } from '../backends/guards.js';
import type { Network } from '../model/network.js';
import { computePropagators } from '../model/propagators.js';

export interface MembraneBand {
  /** Per population, the lowest and highest membrane potential (mV) a guarded neuron can hold after a step. */
  loMv: Float64Array;
  hiMv: Float64Array;
  /** Per population, the shortest inter-spike interval in steps (refractory period + 1). */
  minIsiSteps: Int32Array;
}

/**
 * The physical band of a guarded network. With the guards' input cap c per
 * step and channel, the inhibitory current never exceeds c / (1 - P11in) in
 * magnitude and the excitatory one is never negative, so exact integration
 * keeps V - E_L above (P20 min(I_dc, 0) - P21in c / (1 - P11in)) / (1 - P22);
 * above, V is reset whenever it reaches threshold. Initial potentials and the
 * reset value widen the band where they lie outside it.
 */
export function membraneBand(network: Network, saturationPa = DEFAULT_SATURATION_PA): MembraneBand {
  const n = network.populations.length;
  const band: MembraneBand = { loMv: new Float64Array(n), hiMv: new Float64Array(n), minIsiSteps: new Int32Array(n) };
  for (const p of network.populations) {
    const pr = computePropagators(p.neuron, network.dtMs);
    let dc = p.neuron.dcPa;
    for (const d of p.drives) if (d.kind === 'dc') dc += d.currentPa;
    const inhMax = saturationPa / (1 - pr.p11in);
    const floor = p.neuron.restingMv + (pr.p20 * Math.min(dc, 0) - pr.p21in * inhMax) / (1 - pr.p22);
    const v0 = p.initialPotential;
    const [v0lo, v0hi] = v0.kind === 'constant' ? [v0.valueMv, v0.valueMv] : v0.kind === 'uniform' ? [v0.lowMv, v0.highMv] : [v0.meanMv - 10 * v0.sdMv, v0.meanMv + 10 * v0.sdMv];
    const lo = Math.min(floor, v0lo, p.neuron.resetMv);
    const hi = Math.max(p.neuron.thresholdMv, v0hi, p.neuron.resetMv);
    // float32 state: allow its rounding.
    band.loMv[p.index] = lo - 1e-3 - Math.abs(lo) * 1e-5;
    band.hiMv[p.index] = hi + 1e-3 + Math.abs(hi) * 1e-5;
    band.minIsiSteps[p.index] = pr.refractorySteps + 1;
  }
  return band;
}
