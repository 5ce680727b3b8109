import type { Tensor, Tf } from './types.js';

/**
 * The guards (kernels/cpu/guard_scan.ts) on tensors. SanitizeInputs caps the
 * arriving input at +-capPa and drops non-finite input; `touched` counts the
 * (replica, neuron) pairs where either channel was out of range, as the CPU
 * pass does. Call inside tf.tidy.
 */
export function sanitizeInputs(tf: Tf, ex: Tensor, inh: Tensor, capPa: number): { ex: Tensor; inh: Tensor; touched: Tensor } {
  const cap = tf.scalar(capPa);
  const ok = tf.logicalAnd(tf.lessEqual(tf.abs(ex), cap), tf.lessEqual(tf.abs(inh), cap));
  // Clipping is the identity inside the cap, so the whole tensor can go through it.
  const fix = (x: Tensor) => tf.where(tf.isNaN(x), tf.zerosLike(x), tf.clipByValue(x, -capPa, capPa));
  return { ex: fix(ex), inh: fix(inh), touched: tf.sum(tf.cast(tf.logicalNot(ok), 'int32')) };
}

/**
 * ContainNonFinite: a neuron whose membrane or currents are not finite is
 * reset, its currents zeroed, and held refractory for quarantineSteps.
 * (Finite float32 values whose float32 sum overflows are finite in the CPU
 * pass's float64 sum, so each value is tested on its own.)
 */
export function containNonFinite(tf: Tf, v: Tensor, iEx: Tensor, iIn: Tensor, refractory: Tensor, resetMv: Tensor, quarantineSteps: number) {
  const bad = tf.logicalNot(tf.logicalAnd(tf.logicalAnd(tf.isFinite(v), tf.isFinite(iEx)), tf.isFinite(iIn)));
  const zero = tf.zerosLike(v);
  return {
    v: tf.where(bad, resetMv, v),
    iEx: tf.where(bad, zero, iEx),
    iIn: tf.where(bad, zero, iIn),
    refractory: tf.where(bad, tf.fill(refractory.shape, quarantineSteps, 'int32'), refractory),
    contained: tf.sum(tf.cast(bad, 'int32')),
  };
}
