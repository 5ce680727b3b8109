import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import { lowerBound } from '../../kernels/cpu/lower_bound.js';

/**
 * Chooses `fraction` of the synapses in a scope (all, from a source
 * population, into a target population, or a population pair), exactly
 * round(fraction * M) of them (at least one), uniformly without replacement
 * (selection sampling, Knuth's Algorithm S), ascending.
 */
export function selectSynapses(network: Network, source: string | undefined, target: string | undefined, fraction: number, streamKey: string, field: string): { indices: Uint32Array; candidates: number } {
  const pop = (name: string | undefined, which: string) => {
    if (name === undefined) return undefined;
    const p = network.populations.find((x) => x.name === name);
    if (!p) throw new InputError(`${field}.${which}`, `unknown population "${name}" (known: ${network.populations.map((x) => x.name).join(', ')})`);
    return p;
  };
  const src = pop(source, 'source');
  const tgt = pop(target, 'target');
  const { rowPtr, targets } = network.synapses;
  // Candidate ranges [a, b) of synapse indices: rows of the source neurons, sliced to the target population.
  const ranges: number[] = [];
  let m = 0;
  const s0 = src ? src.start : 0;
  const s1 = src ? src.start + src.size : network.neuronCount;
  if (!tgt) {
    ranges.push(rowPtr[s0], rowPtr[s1]);
    m = rowPtr[s1] - rowPtr[s0];
  } else {
    for (let s = s0; s < s1; s++) {
      const a = lowerBound(targets, rowPtr[s], rowPtr[s + 1], tgt.start);
      const b = lowerBound(targets, a, rowPtr[s + 1], tgt.start + tgt.size);
      if (b > a) {
        ranges.push(a, b);
        m += b - a;
      }
    }
  }
  if (m === 0) throw new InputError(field, `no synapses in scope (${source ?? 'any'} -> ${target ?? 'any'})`);
  const k = Math.max(1, Math.round(fraction * m));
  const indices = new Uint32Array(k);
  const rng = new StreamRng(streamKey);
  let chosen = 0;
  let seen = 0;
  for (let r = 0; r < ranges.length && chosen < k; r += 2) {
    for (let i = ranges[r]; i < ranges[r + 1] && chosen < k; i++, seen++) {
      if ((m - seen) * rng.uniform() < k - chosen) indices[chosen++] = i;
    }
  }
  return { indices, candidates: m };
}

