/**
 * van Rossum distance between two spike trains per neuron, averaged over
 * neurons: each train is filtered with a causal exponential of time constant
 * tau, D^2 = (1/tau) * integral of the squared difference. One spike present in
 * one train and absent from the other adds 1/2; identical trains give 0.
 * Spikes come as the recorder's (step, neuron) pairs, step-ordered.
 * Source: M. C. W. van Rossum, A novel spike distance, Neural Computation 13(4):751-763 (2001).
 */
export function vanRossumPerNeuron(a: Int32Array, b: Int32Array, fromStep: number, toStep: number, neuronCount: number, tauSteps: number): number {
  const ta = byNeuron(a, fromStep, toStep, neuronCount);
  const tb = byNeuron(b, fromStep, toStep, neuronCount);
  let total = 0;
  for (let i = 0; i < neuronCount; i++) {
    const x = ta[i];
    const y = tb[i];
    if (x === undefined && y === undefined) continue;
    total += 0.5 * (selfSum(x, tauSteps) + selfSum(y, tauSteps) - 2 * crossSum(x, y, tauSteps));
  }
  return total / neuronCount;
}

function byNeuron(pairs: Int32Array, from: number, to: number, n: number): (number[] | undefined)[] {
  const out: (number[] | undefined)[] = new Array(n);
  for (let k = 0; k < pairs.length; k += 2) {
    const step = pairs[k];
    if (step < from || step >= to) continue;
    const i = pairs[k + 1];
    (out[i] ??= []).push(step);
  }
  return out;
}

/** Sum over all pairs (i, j) of exp(-|ti - tj| / tau), in linear time over sorted times. */
function selfSum(t: number[] | undefined, tau: number): number {
  if (!t) return 0;
  let s = 0;
  let acc = 0;
  for (let j = 0; j < t.length; j++) {
    if (j > 0) acc = Math.exp(-(t[j] - t[j - 1]) / tau) * (acc + 1);
    s += acc;
  }
  return t.length + 2 * s;
}

function crossSum(x: number[] | undefined, y: number[] | undefined, tau: number): number {
  if (!x || !y) return 0;
  let s = 0;
  for (const p of x) for (const q of y) s += Math.exp(-Math.abs(p - q) / tau);
  return s;
}
