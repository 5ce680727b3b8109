import { BACKENDS, createBackend, REFERENCE_BACKEND } from '../src/backends/create-backend.js';
import { suiteVariantsOf, variantExactness, type BackendDescriptor } from '../src/backends/registry.js';
import type { FuzzBackendEntry } from '../src/fuzz/chaos-rig.js';
import { fuzzableKinds } from '../src/fuzz/fault-arbitraries.js';
import { kindsHostedBy } from '../src/chaos/fault-kinds.js';

/**
 * The backends every chaos property runs on, read from the backend registry
 * (src/backends/registered-backends.ts): each registered backend, in its
 * most demanding suite variant (workers: 2 threads with a short restart
 * interval, so killed workers replay from a recent point), that
 *  - is exact to the reference (the equivalence property compares state bit for bit),
 *  - hosts every fault kind the fuzzers draw for it (worker kinds only with shard supervision),
 *  - builds synchronously (no prepare step: the rig creates backends inside a property).
 * tfjs is left out on the first two counts (float32-per-op, no partitions).
 * The reference comes first: the equivalence property compares the others with it.
 */
function fuzzEntry(d: BackendDescriptor): FuzzBackendEntry | null {
  if (d.picksAmong || d.prepare) return null;
  const variant = suiteVariantsOf(d).at(-1)!;
  if (variantExactness(d, variant) !== 'exact') return null;
  const workers = d.capabilities.offers.includes('shard-supervision') ? (variant.choice.workers ?? 2) : 0;
  if (!fuzzableKinds({ workers }).every((k) => kindsHostedBy(d.capabilities.hosts).includes(k))) return null;
  return { name: d.name, workers, slow: d.slow, create: (network, options) => createBackend(network, { ...variant.choice, ...options, backend: d.name }).backend };
}

export const FUZZ_BACKENDS: FuzzBackendEntry[] = BACKENDS.list()
  .map(fuzzEntry)
  .filter((e): e is FuzzBackendEntry => e !== null)
  .sort((a, b) => Number(b.name === REFERENCE_BACKEND) - Number(a.name === REFERENCE_BACKEND));
