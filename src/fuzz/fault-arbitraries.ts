import fc from 'fast-check';
import { emptyScopeOf, FAULT_KINDS, faultKind, type FaultKindName } from '../chaos/fault-kinds.js';
import type { ArbitraryTools, FaultArbitraryConstraints } from '../chaos/kind-descriptor.js';
import type { Network } from '../model/network.js';
import { numberFrom } from './schema-range.js';
import { targetArbitrary } from './target-arbitrary.js';

export type { FaultArbitraryConstraints } from '../chaos/kind-descriptor.js';

/** A fault spec as `ChaosController.inject` takes it. */
export type FaultSpecInput = Record<string, unknown> & { kind: FaultKindName };

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** What each kind's arbitrary builds with (see ArbitraryTools). */
const TOOLS: ArbitraryTools = {
  numberFrom,
  target: targetArbitrary,
  opt: (a) => fc.option(a, { nil: undefined }),
  spec: (kind, fields) => fc.record(fields).map((r) => ({ kind, ...dropUndefined(r) })),
  dropUndefined,
};

/** Kinds an arbitrary draws from under these constraints: those listed (default: all), less the worker kinds when there are no workers. */
export function fuzzableKinds(c: FaultArbitraryConstraints = {}): FaultKindName[] {
  const workers = c.workers ?? 0;
  return (c.kinds ?? FAULT_KINDS).filter((k): k is FaultKindName => {
    const d = faultKind(k);
    if (!d) throw new RangeError(`fuzzableKinds: no fault kind "${k}" (known: ${FAULT_KINDS.join(', ')})`);
    return workers > 0 || !d.requires.includes('shard-supervision');
  });
}

/**
 * Valid fault specs for `network`: every field drawn from the range its
 * validator accepts (read from the zod schemas), capped where a test must
 * stay short, and chosen so the fault can be injected into this network and
 * acts on something (populations that exist, synapses in scope, workers
 * that exist). Kinds this network cannot host (weight corruption without
 * synapses) are left out.
 */
export function faultSpecArbitrary(network: Network, constraints: FaultArbitraryConstraints = {}): fc.Arbitrary<FaultSpecInput> {
  const kinds = fuzzableKinds(constraints).filter((k) => faultKind(k)!.fuzzable(network, constraints) === null);
  if (kinds.length === 0) throw new RangeError('faultSpecArbitrary: no fault kind left to draw from');
  return fc.oneof(...kinds.map((k) => faultOfKind(network, k, constraints)));
}

/** Valid specs of one kind (see faultSpecArbitrary); a RangeError when the kind cannot act on this network under these constraints. */
export function faultOfKind(network: Network, kind: FaultKindName, c: FaultArbitraryConstraints = {}): fc.Arbitrary<FaultSpecInput> {
  const d = faultKind(kind);
  if (!d) throw new RangeError(`faultOfKind: no fault kind "${kind}" (known: ${FAULT_KINDS.join(', ')})`);
  const why = d.fuzzable(network, c);
  if (why) throw new RangeError(`faultOfKind(${kind}): ${why}`);
  const plan = { network, batch: c.batch ?? 1, workers: Math.max(1, c.workers ?? 0), seed: 1, root: 'fault' };
  // Specs that would act on nothing are refused by planning: leave them out, as the schema's defaults fill them in.
  return d
    .arbitrary(network, c, TOOLS)
    .filter((s) => {
      // An arbitrary that draws an invalid spec is a bug the properties must see: keep it.
      const parsed = d.schema.safeParse(s);
      return !parsed.success || emptyScopeOf(parsed.data, plan, 'fuzz') === null;
    })
    .map((s) => s as FaultSpecInput);
}
