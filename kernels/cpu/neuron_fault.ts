import { integratedMv, integratedMvF32 } from './lif_neuron.js';

/**
 * Neuron fault codes (per replica and neuron, in the `faultCode` state
 * buffer) and the update of a faulted neuron: the fault models of SNN
 * fault-injection tools such as SpikeFI. `faultParams` holds
 * FAULT_PARAM_STRIDE floats per neuron; their meaning depends on the code.
 */
export const FAULT_NONE = 0;
/** Never fires; the membrane is held at reset. */
export const FAULT_DEAD = 1;
/** Fires at every step it is not refractory. */
export const FAULT_SATURATED = 2;
/** Membrane stuck at params[0] mV; fires (without reset) when that is at or above threshold. */
export const FAULT_STUCK = 3;
/** Parameters drifted: params = [thresholdMv, p22, dcTerm, p21ex, p21in, refractorySteps]. */
export const FAULT_DRIFT = 4;

export const FAULT_PARAM_STRIDE = 6;

/**
 * Membrane, refractory counter and spike of a faulted neuron for this step,
 * given the currents of the previous step (the caller updates the currents).
 * Returns 1 when it fires.
 */
export function faultedNeuronUpdate(
  code: number,
  params: Float32Array,
  s: number,
  vm: number,
  ex: number,
  inh: number,
  restingMv: number,
  thresholdMv: number,
  resetMv: number,
  refractorySteps: number,
  v: Float32Array,
  refractory: Int32Array,
): number {
  const ref = refractory[s];
  const p = s * FAULT_PARAM_STRIDE;
  if (code === FAULT_DEAD) {
    if (ref > 0) refractory[s] = ref - 1;
    v[s] = resetMv;
    return 0;
  }
  if (code === FAULT_SATURATED) {
    if (ref > 0) {
      refractory[s] = ref - 1;
      v[s] = resetMv;
      return 0;
    }
    refractory[s] = refractorySteps;
    v[s] = resetMv;
    return 1;
  }
  if (code === FAULT_STUCK) {
    const stuck = params[p];
    v[s] = stuck;
    if (ref > 0) {
      refractory[s] = ref - 1;
      return 0;
    }
    if (stuck >= thresholdMv) {
      refractory[s] = refractorySteps;
      return 1;
    }
    return 0;
  }
  // FAULT_DRIFT: the same update with the drifted parameters.
  const next = ref === 0 ? integratedMv(vm, ex, inh, restingMv, params[p + 1], params[p + 2], params[p + 3], params[p + 4]) : vm;
  return settleDrift(next, ref, params, p, s, resetMv, v, refractory);
}

/**
 * The end of a drifted neuron's step, either precision: `next` is its
 * integrated membrane (or the held one while refractory, `ref` not 0); fires
 * at or above its drifted threshold. Returns 1 when it fires.
 */
function settleDrift(next: number, ref: number, params: Float32Array, p: number, s: number, resetMv: number, v: Float32Array, refractory: Int32Array): number {
  if (ref !== 0) refractory[s] = ref - 1;
  if (next >= params[p]) {
    refractory[s] = params[p + 5];
    v[s] = resetMv;
    return 1;
  }
  v[s] = next;
  return 0;
}


/**
 * faultedNeuronUpdate in single precision (SimulationOptions.precision
 * 'float32'): a drifted neuron integrates with integratedMvF32 (its drifted
 * parameters are float32 already: faultParams is a Float32Array); the other
 * codes do no arithmetic and are shared.
 */
export function faultedNeuronUpdateF32(
  code: number,
  params: Float32Array,
  s: number,
  vm: number,
  ex: number,
  inh: number,
  restingMv: number,
  thresholdMv: number,
  resetMv: number,
  refractorySteps: number,
  v: Float32Array,
  refractory: Int32Array,
): number {
  if (code !== FAULT_DRIFT) return faultedNeuronUpdate(code, params, s, vm, ex, inh, restingMv, thresholdMv, resetMv, refractorySteps, v, refractory);
  const ref = refractory[s];
  const p = s * FAULT_PARAM_STRIDE;
  const next = ref === 0 ? integratedMvF32(vm, ex, inh, restingMv, params[p + 1], params[p + 2], params[p + 3], params[p + 4]) : vm;
  return settleDrift(next, ref, params, p, s, resetMv, v, refractory);
}
