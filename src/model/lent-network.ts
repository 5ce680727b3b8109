import type { Network, Synapses } from './network.js';

type SynapseArray = Synapses[keyof Synapses];

/** The connectivity objects lent out (lendNetwork): read-only to whoever holds them. */
const lent = new WeakSet<Synapses>();

/** A copy of a typed array in memory of its own: a SharedArrayBuffer when `shared` (default: of the same kind as `a`'s, as buildNetwork's `shared` asked). */
export function copyArray<T extends SynapseArray>(a: T, shared = a.buffer instanceof SharedArrayBuffer): T {
  const ctor = a.constructor as new (buffer: ArrayBufferLike) => T;
  const buffer = shared ? new SharedArrayBuffer(a.byteLength) : new ArrayBuffer(a.byteLength);
  const copy = new ctor(buffer);
  copy.set(a as never);
  return copy;
}

/** A deep copy: nothing a fault or a backend mutates in the copy reaches the original (or the next copy). */
export function copyNetwork(n: Network): Network {
  const { synapses, ...rest } = n;
  return {
    ...structuredClone(rest),
    synapses: { rowPtr: copyArray(synapses.rowPtr), targets: copyArray(synapses.targets), weightsPa: copyArray(synapses.weightsPa), delaySteps: copyArray(synapses.delaySteps) },
  };
}

/**
 * `n` with its connectivity lent, not copied: the populations, projections
 * and the rest are a copy of the caller's own, the four connectivity arrays
 * are `n`'s, marked read-only. createBackend gives a backend that may write
 * its connectivity (weight faults, the scrubber) a copy of its own
 * (ownedNetwork) unless its descriptor says it copies the connectivity
 * itself (the `cpu` backend copies it into its wasm memory).
 *
 * Why: a campaign job hands the same network to three or four backends; a
 * copy each was 5 MiB of fresh memory per backend at microcircuit scale
 * 0.02, which V8 counts as external memory and answers with full garbage
 * collections (docs/campaigns.md, "What bounds 2 processes on 2 cores").
 */
export function lendNetwork(n: Network): Network {
  const { synapses, ...rest } = n;
  lent.add(synapses);
  return { ...structuredClone(rest), synapses };
}

/** Whether `n`'s connectivity is lent (lendNetwork): writing it would change the lender's network. */
export function isLent(n: Network): boolean {
  return lent.has(n.synapses);
}

/** `n` itself when its connectivity is its own, else a copy whose connectivity is (copyNetwork). */
export function ownedNetwork(n: Network): Network {
  return isLent(n) ? copyNetwork(n) : n;
}
