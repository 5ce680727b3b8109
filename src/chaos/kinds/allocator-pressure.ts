import { AllocatorPressure, allocatorPressureSchema, allocatorPressureActs } from '../allocator-pressure.js';
import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';

/** Allocator pressure: the simulation allocator's budget squeezed, allocations failed or slowed; real host memory held. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const allocatorPressureKind: FaultKindDescriptor<'allocator-pressure', typeof allocatorPressureSchema> = defineFaultKind({
  kind: 'allocator-pressure',
  schema: allocatorPressureSchema,
  perReplica: false,
  durationEndsBy: 'controller',
  actsOn: ['allocator', 'host-memory'],
  report: { summary: 'the simulation allocator\'s free budget squeezed, a fraction of its allocations failed or slowed, and real host memory held' },
  emptyScope(spec, plan) {
    if (allocatorPressureActs(spec)) return null;
    return { field: `${plan.root}.freeFraction`, reason: 'no part of it squeezes anything: give freeFraction < 1, failureRate > 0, latencyMs > 0 or hostBytes > 0' };
  },
  planTargets: () => 'the simulation allocator (its budget and allocations) and host memory',
  inject: (ctx, spec, id, env) => new AllocatorPressure(ctx, spec, id, env.allocator),
  fuzzable: () => null,
  arbitrary(_network, c, t) {
    const s = allocatorPressureSchema.shape;
    const squeeze = t.spec('allocator-pressure', {
      freeFraction: t.opt(t.numberFrom(s.freeFraction)),
      failureRate: t.opt(t.numberFrom(s.failureRate)),
      latencyMs: t.opt(t.numberFrom(s.latencyMs, c.maxWallMs ?? 20)),
      hostBytes: t.opt(t.numberFrom(s.hostBytes, c.maxHostBytes ?? 4 * 2 ** 20, 1)),
      durationMs: t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)),
    });
    // At least one part must do something (the fault refuses an empty spec).
    return squeeze.map((x) => (x.freeFraction === undefined && !x.failureRate && !x.latencyMs && !x.hostBytes ? { ...x, freeFraction: 0.5 } : x));
  },
});
