import type { LifOutput, LifParamTensors, LifState, Tensor, Tf } from './types.js';

/**
 * LifStep on [batch, neurons] tensors: the CPU kernel's update (kernels/cpu/
 * lif_step.ts) in NEST's order, as whole-tensor ops. Each expression keeps
 * the CPU kernel's operation order; tfjs rounds every op to float32 where
 * the CPU kernel rounds once per stored value, so the two agree to a few ulp
 * (see the conformance suite for what that means for spikes).
 *
 * `arrivingEx` / `arrivingIn` are this step's input (ring slot plus drives),
 * already summed. Call inside tf.tidy: every intermediate is freed there.
 */
export function lifStep(tf: Tf, p: LifParamTensors, s: LifState, arrivingEx: Tensor, arrivingIn: Tensor): LifOutput {
  const { v: vm, iEx: ex, iIn: inh, refractory: ref } = s;
  const iEx = tf.add(tf.mul(ex, p.p11ex), arrivingEx);
  const iIn = tf.add(tf.mul(inh, p.p11in), arrivingIn);
  const free = tf.equal(ref, tf.scalar(0, 'int32'));
  const next = membraneUpdate(tf, vm, ex, inh, p.restingMv, p.p22, p.dcTerm, p.p21ex, p.p21in);
  const v1 = tf.where(free, next, vm);
  const ref1 = tf.where(free, ref, tf.sub(ref, tf.scalar(1, 'int32')));
  const spiked = tf.greaterEqual(v1, p.thresholdMv);
  return {
    v: tf.where(spiked, p.resetMv, v1),
    iEx,
    iIn,
    refractory: tf.where(spiked, p.refractorySteps, ref1),
    spiked,
  };
}

/** el + (vm - el) * p22 + dcTerm + ex * p21ex + inh * p21in, left to right as the CPU kernel sums it. */
export function membraneUpdate(tf: Tf, vm: Tensor, ex: Tensor, inh: Tensor, el: Tensor, p22: Tensor, dcTerm: Tensor, p21ex: Tensor, p21in: Tensor): Tensor {
  return tf.add(tf.add(tf.add(tf.add(el, tf.mul(tf.sub(vm, el), p22)), dcTerm), tf.mul(ex, p21ex)), tf.mul(inh, p21in));
}
