import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';
import { CpuStress, cpuStressSchema } from '../cpu-stress.js';

/** CPU stress: busy threads in this process competing with the simulation for the cores. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const cpuStressKind: FaultKindDescriptor<'cpu-stress', typeof cpuStressSchema> = defineFaultKind({
  kind: 'cpu-stress',
  schema: cpuStressSchema,
  perReplica: false,
  durationEndsBy: 'wall-clock',
  actsOn: ['host-cpu'],
  report: { summary: 'busy threads in this process, at a chosen load, competing with the simulation for the cores' },
  // At least one thread at a load above 0: it always burns CPU.
  emptyScope: () => null,
  planTargets: (spec) => ({ threads: spec.threads }),
  inject: (ctx, spec, id) => new CpuStress(ctx, spec, id),
  fuzzable: () => null,
  arbitrary(_network, c, t) {
    const s = cpuStressSchema.shape;
    return t.spec('cpu-stress', { threads: t.opt(t.numberFrom(s.threads, c.maxThreads ?? 1)), load: t.opt(t.numberFrom(s.load)), durationMs: t.numberFrom(s.durationMs, c.maxWallMs ?? 20) });
  },
});
