import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import { lowerBound } from '../../kernels/cpu/lower_bound.js';

/** The synapses in a scope as ranges [a, b) of synapse indices (flat pairs), and how many they hold. */
export interface SynapseScope {
  ranges: number[];
  count: number;
}

function populationNamed(network: Network, name: string | undefined, field: string) {
  if (name === undefined) return undefined;
  const p = network.populations.find((x) => x.name === name);
  if (!p) throw new InputError(field, `unknown population "${name}" (known: ${network.populations.map((x) => x.name).join(', ')})`);
  return p;
}

/**
 * The synapses from a source population and/or into a target population
 * (both absent: every synapse): rows of the source neurons, sliced to the
 * target population (rows are sorted by target). Unknown names are an
 * InputError naming `field.source` / `field.target`.
 */
export function synapseScope(network: Network, source: string | undefined, target: string | undefined, field: string): SynapseScope {
  const src = populationNamed(network, source, `${field}.source`);
  const tgt = populationNamed(network, target, `${field}.target`);
  const { rowPtr, targets } = network.synapses;
  const ranges: number[] = [];
  let count = 0;
  const s0 = src ? src.start : 0;
  const s1 = src ? src.start + src.size : network.neuronCount;
  if (!tgt) {
    ranges.push(rowPtr[s0], rowPtr[s1]);
    count = rowPtr[s1] - rowPtr[s0];
  } else {
    for (let s = s0; s < s1; s++) {
      const a = lowerBound(targets, rowPtr[s], rowPtr[s + 1], tgt.start);
      const b = lowerBound(targets, a, rowPtr[s + 1], tgt.start + tgt.size);
      if (b > a) {
        ranges.push(a, b);
        count += b - a;
      }
    }
  }
  return { ranges, count };
}

/** The field to name and the words to use when a weight scope holds no synapse (null when it holds some). */
export function emptySynapseScope(network: Network, source: string | undefined, target: string | undefined, field: string): { field: string; reason: string } | null {
  if (network.synapseCount === 0) return { field: `${field}.kind`, reason: 'it needs synapses, and the network has none (a model without projections)' };
  if (synapseScope(network, source, target, field).count > 0) return null;
  return {
    field: source !== undefined ? `${field}.source` : `${field}.target`,
    reason: `it needs synapses, and none run from ${source ?? 'any population'} to ${target ?? 'any population'}`,
  };
}

/**
 * Chooses `fraction` of the synapses in a scope (all, from a source
 * population, into a target population, or a population pair), exactly
 * round(fraction * M) of them (at least one), uniformly without replacement
 * (selection sampling, Knuth's Algorithm S), ascending. An empty scope is an
 * InputError that says the fault needs synapses.
 */
export function selectSynapses(network: Network, source: string | undefined, target: string | undefined, fraction: number, streamKey: string, field: string): { indices: Uint32Array; candidates: number } {
  const { ranges, count: m } = synapseScope(network, source, target, field);
  if (m === 0) {
    const empty = emptySynapseScope(network, source, target, field)!;
    throw new InputError(empty.field, `no synapses in scope (${source ?? 'any'} -> ${target ?? 'any'}): ${empty.reason}`);
  }
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

/**
 * Synapses whose source lies in `sourceRanges` and whose target lies in
 * `targetRanges` (flat [lo, hi) neuron pairs, ascending): what a partition
 * between the two would cut.
 */
export function crossingSynapses(network: Network, sourceRanges: ArrayLike<number>, targetRanges: ArrayLike<number>): number {
  const { rowPtr, targets } = network.synapses;
  let n = 0;
  for (let r = 0; r < sourceRanges.length; r += 2) {
    for (let s = sourceRanges[r]; s < sourceRanges[r + 1]; s++) {
      for (let t = 0; t < targetRanges.length; t += 2) {
        const a = lowerBound(targets, rowPtr[s], rowPtr[s + 1], targetRanges[t]);
        n += lowerBound(targets, a, rowPtr[s + 1], targetRanges[t + 1]) - a;
      }
    }
  }
  return n;
}

/** Neuron ranges (flat [lo, hi) pairs, ascending) of named populations; unknown names are an InputError naming `field[i]`. */
export function populationRanges(network: Network, names: readonly string[], field: string): number[] {
  const pairs: [number, number][] = [];
  names.forEach((name, i) => {
    const p = populationNamed(network, name, `${field}[${i}]`)!;
    pairs.push([p.start, p.start + p.size]);
  });
  pairs.sort((x, y) => x[0] - y[0]);
  return pairs.flat();
}
