import type * as tfjs from '@tensorflow/tfjs';

/**
 * The TensorFlow.js namespace the kernels run on. Passed in rather than
 * imported: tfjs-node-gpu and tfjs-node bring their own copy of tfjs-core,
 * and a tensor must be made by the same engine that runs the op.
 */
export type Tf = typeof tfjs;
export type Tensor = tfjs.Tensor;
export type Variable = tfjs.Variable;

/**
 * Per-neuron LIF parameters as [batch, neurons] tensors (populations
 * expanded, repeated per replica), so one op covers every population and
 * every op sees operands of one shape (tfjs's CPU backend broadcasts through
 * a slow generic tile). Values are the CPU kernel's, rounded to float32 once
 * when the tensors are made.
 */
export interface LifParamTensors {
  restingMv: Tensor;
  thresholdMv: Tensor;
  resetMv: Tensor;
  /** p20 * dcPa, as the CPU kernel precomputes it. */
  dcTerm: Tensor;
  p22: Tensor;
  p11ex: Tensor;
  p11in: Tensor;
  p21ex: Tensor;
  p21in: Tensor;
  /** int32 */
  refractorySteps: Tensor;
}

/** The state one step reads and writes, [batch, neurons] (refractory: int32). */
export interface LifState {
  v: Tensor;
  iEx: Tensor;
  iIn: Tensor;
  refractory: Tensor;
}

export interface LifOutput extends LifState {
  /** bool [batch, neurons]: fired this step. */
  spiked: Tensor;
}
