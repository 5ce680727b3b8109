import type { Network } from '../model/network.js';
import { vanRossumPerNeuron } from './van-rossum.js';

/** van Rossum time constant (10 ms, as in the degradation bench). */
export const VAN_ROSSUM_TAU_MS = 10;

/**
 * A recording's (step, replica, neuron) entries split into one (step, neuron)
 * pair list per replica, ordered by step then neuron (the recorder's order).
 */
export function pairsByReplica(entries: Uint32Array, batch: number): Int32Array[] {
  const lists: number[][] = Array.from({ length: batch }, () => []);
  for (let i = 0; i < entries.length; i += 3) {
    const r = entries[i + 1];
    if (r < batch) lists[r].push(entries[i], entries[i + 2]);
  }
  return lists.map((l) => {
    const idx = Array.from({ length: l.length / 2 }, (_, k) => k).sort((a, b) => l[2 * a] - l[2 * b] || l[2 * a + 1] - l[2 * b + 1]);
    const out = new Int32Array(l.length);
    for (let j = 0; j < idx.length; j++) {
      out[2 * j] = l[2 * idx[j]];
      out[2 * j + 1] = l[2 * idx[j] + 1];
    }
    return out;
  });
}

/** The pairs with step in [from, to). */
function windowOf(pairs: Int32Array, from: number, to: number): Int32Array {
  let a = 0;
  while (a < pairs.length && pairs[a] < from) a += 2;
  let b = a;
  while (b < pairs.length && pairs[b] < to) b += 2;
  return pairs.subarray(a, b);
}

/** Whether two pair lists agree over [from, to). */
export function samePairs(a: Int32Array, b: Int32Array, from: number, to: number): boolean {
  const x = windowOf(a, from, to);
  const y = windowOf(b, from, to);
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Mean over populations of |rate - reference rate| (Hz) over [from, to) for one replica. */
export function rateDeviationHz(faulted: Int32Array, reference: Int32Array, network: Network, from: number, to: number): number {
  const seconds = ((to - from) * network.dtMs) / 1000;
  const count = (pairs: Int32Array) => {
    const c = new Float64Array(network.neuronCount);
    const w = windowOf(pairs, from, to);
    for (let k = 1; k < w.length; k += 2) c[w[k]]++;
    return c;
  };
  const f = count(faulted);
  const r = count(reference);
  let dev = 0;
  for (const p of network.populations) {
    let sf = 0;
    let sr = 0;
    for (let i = p.start; i < p.start + p.size; i++) {
      sf += f[i];
      sr += r[i];
    }
    dev += Math.abs(sf - sr) / (p.size * seconds);
  }
  return dev / network.populations.length;
}

/** van Rossum distance per neuron (tau VAN_ROSSUM_TAU_MS) over [from, to) for one replica. */
export function vanRossum(faulted: Int32Array, reference: Int32Array, network: Network, from: number, to: number): number {
  return vanRossumPerNeuron(faulted, reference, from, to, network.neuronCount, Math.max(1, Math.round(VAN_ROSSUM_TAU_MS / network.dtMs)));
}
