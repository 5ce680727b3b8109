import { bitsAt } from './counter_rng.js';
import type { FusedPoisson, LifKernelParams } from './lif_step.js';
import { faultedNeuronUpdate } from './neuron_fault.js';

/**
 * LifStep for a population range that holds faulted neurons: the same update,
 * but each neuron with a non-zero fault code takes the faulted update
 * (neuron_fault.ts). A separate kernel because the possible call inside the
 * loop slows the healthy loop down by more than 2x (measured with the kernel
 * bench: 7.8k vs 21k steps/s on the scale-0.1 microcircuit); the plain
 * LifStep runs wherever no neuron of the range is faulted.
 */
export function lifStepFaulted(
  k: LifKernelParams,
  poisson: FusedPoisson | null,
  from: number,
  to: number,
  stateOffset: number,
  ringOffset: number,
  v: Float32Array,
  iEx: Float32Array,
  iIn: Float32Array,
  refractory: Int32Array,
  ringEx: Float32Array,
  ringIn: Float32Array,
  faultCode: Uint8Array,
  faultParams: Float32Array,
  spikes: Int32Array,
  count: number,
): number {
  const el = k.restingMv;
  const th = k.thresholdMv;
  const reset = k.resetMv;
  const dcTerm = k.p20 * k.dcPa;
  const { p22, p11ex, p11in, p21ex, p21in, refractorySteps } = k;
  const lut = poisson ? poisson.table.lut : null;
  const thr = poisson ? poisson.table.thresholds : null;
  const wPoisson = poisson ? poisson.weightPa : 0;
  const key = poisson ? poisson.key : 0;
  for (let i = from; i < to; i++) {
    const s = stateOffset + i;
    const r = ringOffset + i;
    let arriving = ringEx[r];
    if (lut !== null) {
      const h = bitsAt(key, i);
      let n = lut[h >>> 20];
      if (n === 255) {
        n = 0;
        while (h > thr![n]) n++;
      }
      arriving = Math.fround(arriving + n * wPoisson);
    }
    const ex = iEx[s];
    const inh = iIn[s];
    let vm = v[s];
    iEx[s] = ex * p11ex + arriving;
    iIn[s] = inh * p11in + ringIn[r];
    ringEx[r] = 0;
    ringIn[r] = 0;
    const code = faultCode[s];
    if (code !== 0) {
      if (faultedNeuronUpdate(code, faultParams, s, vm, ex, inh, el, th, reset, p22, dcTerm, p21ex, p21in, refractorySteps, v, refractory) !== 0) spikes[count++] = i;
      continue;
    }
    const ref = refractory[s];
    if (ref === 0) vm = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
    else refractory[s] = ref - 1;
    if (vm >= th) {
      refractory[s] = refractorySteps;
      vm = reset;
      spikes[count++] = i;
    }
    v[s] = vm;
  }
  return count;
}
