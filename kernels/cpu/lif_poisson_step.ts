import { bitsAt } from './counter_rng.js';
import type { LifKernelParams } from './lif_step.js';
import type { PoissonTable } from './poisson_drive.js';

/**
 * LifPoissonStep: PoissonDrive (one excitatory drive, one part) fused into
 * LifStep, for the common case of a Poisson background. Bit-identical to
 * running the two kernels in turn: the arriving input is rounded to float32
 * exactly as the ring buffer would have stored it. Saves a pass over the
 * neurons and a round trip through the ring buffer per step.
 */
export function lifPoissonStep(
  k: LifKernelParams,
  table: PoissonTable,
  weightPa: number,
  key: number,
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
  spikes: Int32Array,
  count: number,
): number {
  const el = k.restingMv;
  const th = k.thresholdMv;
  const reset = k.resetMv;
  const dcTerm = k.p20 * k.dcPa;
  const { p22, p11ex, p11in, p21ex, p21in, refractorySteps } = k;
  const lut = table.lut;
  const thr = table.thresholds;
  for (let i = from; i < to; i++) {
    const s = stateOffset + i;
    const r = ringOffset + i;
    const h = bitsAt(key, i);
    let n = lut[h >>> 20];
    if (n === 255) {
      n = 0;
      while (h > thr[n]) n++;
    }
    const arriving = Math.fround(ringEx[r] + n * weightPa);
    const ex = iEx[s];
    const inh = iIn[s];
    let vm = v[s];
    const ref = refractory[s];
    if (ref === 0) vm = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
    else refractory[s] = ref - 1;
    iEx[s] = ex * p11ex + arriving;
    iIn[s] = inh * p11in + ringIn[r];
    ringEx[r] = 0;
    ringIn[r] = 0;
    if (vm >= th) {
      refractory[s] = refractorySteps;
      vm = reset;
      spikes[count++] = i;
    }
    v[s] = vm;
  }
  return count;
}
