import fc from 'fast-check';
import type { Network } from '../model/network.js';

/** A blast radius of neurons that exists in `network` (all, populations or explicit neurons; all of them, a count or a percent; some replicas). */
export function targetArbitrary(network: Network, batch = 1): fc.Arbitrary<Record<string, unknown>> {
  const names = network.populations.map((p) => p.name);
  const sizeOf = (pops: string[]) => network.populations.filter((p) => pops.includes(p.name)).reduce((a, p) => a + p.size, 0);
  const scope = fc.oneof(
    fc.constant({ scope: {}, size: network.neuronCount }),
    fc.subarray(names, { minLength: 1 }).map((populations) => ({ scope: { populations }, size: sizeOf(populations) })),
    fc.uniqueArray(fc.integer({ min: 0, max: network.neuronCount - 1 }), { minLength: 1, maxLength: 16 }).map((neurons) => ({ scope: { neurons }, size: neurons.length })),
  );
  const radius = fc.oneof(fc.constant('all'), fc.constant('count'), fc.constant('percent'));
  const replicas = batch > 1 ? fc.option(fc.subarray(Array.from({ length: batch }, (_, b) => b), { minLength: 1 }), { nil: undefined }) : fc.constant(undefined);
  return fc.tuple(scope, radius, fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 100, minExcluded: true, noNaN: true }), replicas).map(([{ scope: s, size }, r, f, percent, reps]) => {
    const out: Record<string, unknown> = { ...s };
    if (r === 'count') out.count = Math.max(1, Math.min(size, Math.round(f * size)));
    if (r === 'percent') out.percent = percent;
    if (reps) out.replicas = reps;
    return out;
  });
}
