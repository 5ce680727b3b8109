import { z } from 'zod';
import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import { boundedNumber } from '../util/zod-errors.js';

/**
 * Blast radius of a fault: which neurons (all, named populations or explicit
 * indices, then optionally a count or a percentage of those, drawn from the
 * fault's seeded stream) and which replicas of a batch.
 */
export const targetSchema = z
  .object({
    populations: z.array(z.string().min(1)).min(1).max(1000).optional(),
    neurons: z.array(boundedNumber(0, 2 ** 31 - 1, { integer: true })).min(1).max(10_000_000).optional(),
    count: boundedNumber(1, 2 ** 31 - 1, { integer: true }).optional(),
    percent: boundedNumber(0, 100, { exclusiveMin: true }).optional(),
    replicas: z.array(boundedNumber(0, 4095, { integer: true })).min(1).max(4096).optional(),
  })
  .strict()
  .refine((t) => !(t.count !== undefined && t.percent !== undefined), { message: 'give count or percent, not both', path: ['percent'] })
  .refine((t) => !(t.populations !== undefined && t.neurons !== undefined), { message: 'give populations or neurons, not both', path: ['neurons'] });

export type TargetSpec = z.infer<typeof targetSchema>;

export interface ResolvedTargets {
  /** Chosen neurons, ascending. */
  neurons: Int32Array;
  /** Replicas hit, ascending. */
  replicas: number[];
}

/** Resolves a blast radius deterministically from `streamKey`; errors name the field (`field.populations[1]`). */
export function resolveTargets(network: Network, batch: number, spec: TargetSpec | undefined, streamKey: string, field: string): ResolvedTargets {
  const t = spec ?? {};
  let base: Int32Array;
  if (t.neurons) {
    const set = new Set<number>();
    t.neurons.forEach((n, i) => {
      if (n >= network.neuronCount) throw new InputError(`${field}.neurons[${i}]`, `must be a neuron index in [0, ${network.neuronCount - 1}] (got ${n})`);
      set.add(n);
    });
    base = Int32Array.from([...set].sort((a, b) => a - b));
  } else if (t.populations) {
    const parts: number[] = [];
    const seen = new Set<string>();
    t.populations.forEach((name, i) => {
      const pop = network.populations.find((p) => p.name === name);
      if (!pop) throw new InputError(`${field}.populations[${i}]`, `unknown population "${name}" (known: ${network.populations.map((p) => p.name).join(', ')})`);
      if (seen.has(name)) return;
      seen.add(name);
      for (let k = 0; k < pop.size; k++) parts.push(pop.start + k);
    });
    base = Int32Array.from(parts.sort((a, b) => a - b));
  } else {
    base = new Int32Array(network.neuronCount);
    for (let k = 0; k < base.length; k++) base[k] = k;
  }
  let want = base.length;
  if (t.count !== undefined) {
    if (t.count > base.length) throw new InputError(`${field}.count`, `must be at most ${base.length}, the neurons in scope (got ${t.count})`);
    want = t.count;
  } else if (t.percent !== undefined) {
    want = Math.max(1, Math.round((base.length * t.percent) / 100));
  }
  const neurons = want === base.length ? base : sampleSorted(base, want, new StreamRng(streamKey));
  const replicas = t.replicas ? [...new Set(t.replicas)].sort((a, b) => a - b) : Array.from({ length: batch }, (_, b) => b);
  replicas.forEach((r, i) => {
    if (r >= batch) throw new InputError(`${field}.replicas[${i}]`, `must be a replica in [0, ${batch - 1}] (got ${r})`);
  });
  return { neurons, replicas };
}

/** k distinct elements of `from`, drawn uniformly (partial Fisher-Yates), returned ascending. */
export function sampleSorted(from: Int32Array, k: number, rng: StreamRng): Int32Array {
  const pool = from.slice();
  for (let i = 0; i < k; i++) {
    const j = i + rng.below(pool.length - i);
    const tmp = pool[i];
    pool[i] = pool[j];
    pool[j] = tmp;
  }
  return pool.subarray(0, k).sort();
}
