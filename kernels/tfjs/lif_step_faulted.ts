import { FAULT_DEAD, FAULT_DRIFT, FAULT_SATURATED, FAULT_STUCK } from '../cpu/neuron_fault.js';
import { membraneUpdate } from './lif_step.js';
import type { LifOutput, LifParamTensors, LifState, Tensor, Tf } from './types.js';

/**
 * LifStep with the neuron fault table (kernels/cpu/neuron_fault.ts): the
 * codes select, per (replica, neuron), between the healthy update, the
 * update with drifted parameters, and the dead / saturated / stuck rules.
 * `code` is int32 [batch, neurons]; `params` float32 [batch, neurons, 6].
 * Run only while some neuron is faulted: it costs about three times the
 * plain LifStep's ops. Call inside tf.tidy.
 */
export function lifStepFaulted(tf: Tf, p: LifParamTensors, s: LifState, arrivingEx: Tensor, arrivingIn: Tensor, code: Tensor, params: Tensor): LifOutput {
  const { v: vm, iEx: ex, iIn: inh, refractory: ref } = s;
  const iEx = tf.add(tf.mul(ex, p.p11ex), arrivingEx);
  const iIn = tf.add(tf.mul(inh, p.p11in), arrivingIn);
  const [p0, p1, p2, p3, p4, p5] = tf.unstack(params, 2);
  const drift = tf.equal(code, tf.scalar(FAULT_DRIFT, 'int32'));
  const th = tf.where(drift, p0, p.thresholdMv);
  const pick = (drifted: Tensor, healthy: Tensor) => tf.where(drift, drifted, healthy);
  const refractorySteps = p.refractorySteps;
  const refrDrift = tf.where(drift, tf.cast(p5, 'int32'), refractorySteps);
  const one = tf.scalar(1, 'int32');

  // Healthy and drifted neurons: the plain update with (possibly drifted) parameters.
  const free = tf.equal(ref, tf.scalar(0, 'int32'));
  const next = membraneUpdate(tf, vm, ex, inh, p.restingMv, pick(p1, p.p22), pick(p2, p.dcTerm), pick(p3, p.p21ex), pick(p4, p.p21in));
  const v1 = tf.where(free, next, vm);
  const ref1 = tf.where(free, ref, tf.sub(ref, one));
  const fire1 = tf.greaterEqual(v1, th);
  const reset = p.resetMv;
  const vHealthy = tf.where(fire1, reset, v1);
  const refHealthy = tf.where(fire1, refrDrift, ref1);

  // Dead, saturated, stuck: the rules of faultedNeuronUpdate.
  const counting = tf.greater(ref, tf.scalar(0, 'int32'));
  const refDown = tf.where(counting, tf.sub(ref, one), ref);
  const stuckFires = tf.logicalAnd(tf.logicalNot(counting), tf.greaterEqual(p0, p.thresholdMv));
  const refSat = tf.where(counting, refDown, refractorySteps);
  const refStuck = tf.where(stuckFires, refractorySteps, refDown);

  const dead = tf.equal(code, tf.scalar(FAULT_DEAD, 'int32'));
  const sat = tf.equal(code, tf.scalar(FAULT_SATURATED, 'int32'));
  const stuck = tf.equal(code, tf.scalar(FAULT_STUCK, 'int32'));
  const v = tf.where(stuck, p0, tf.where(tf.logicalOr(dead, sat), reset, vHealthy));
  const refractory = tf.where(dead, refDown, tf.where(sat, refSat, tf.where(stuck, refStuck, refHealthy)));
  const spiked = tf.where(dead, tf.zerosLike(fire1), tf.where(sat, tf.logicalNot(counting), tf.where(stuck, stuckFires, fire1)));
  return { v, iEx, iIn, refractory, spiked };
}
