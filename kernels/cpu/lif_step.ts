/**
 * LifStep: one exact-integration step of iaf_psc_exp neurons [from, to) of one
 * population in one replica, in NEST's order: membrane (unless refractory)
 * with the currents of the previous step, then currents decay and take this
 * step's arriving input, then threshold, reset and refractory countdown.
 * Writes spiking neuron indices into `spikes` from `count`; returns the new count.
 * No allocation.
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

export function lifStep(
  k: LifKernelParams,
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
  for (let i = from; i < to; i++) {
    const s = stateOffset + i;
    const r = ringOffset + i;
    const ex = iEx[s];
    const inh = iIn[s];
    let vm = v[s];
    const ref = refractory[s];
    if (ref === 0) vm = el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in;
    else refractory[s] = ref - 1;
    iEx[s] = ex * p11ex + ringEx[r];
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
