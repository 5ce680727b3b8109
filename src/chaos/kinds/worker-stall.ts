import fc from 'fast-check';
import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';
import { WorkerStall, workerStallSchema } from '../worker-faults.js';
import { plannedWorker } from './worker-crash.js';

/** Worker stall: a shard's worker stops answering for a wall-clock time; the others wait for it. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const workerStallKind: FaultKindDescriptor<'worker-stall', typeof workerStallSchema> = defineFaultKind({
  kind: 'worker-stall',
  schema: workerStallSchema,
  perReplica: false,
  // durationMs is how long the worker stalls, on the wall clock (the worker's own timer ends the stall); the fault stays registered until stopped.
  durationEndsBy: 'wall-clock',
  actsOn: ['worker-threads'],
  requires: ['shard-supervision'],
  timeScaled: ['durationMs', 'afterMs'],
  report: { summary: 'a shard\'s worker thread stops answering for a wall-clock time while the others wait at the barrier' },
  // A stall always holds its worker (see worker-crash).
  emptyScope: () => null,
  planTargets: (spec, id, plan) => ({ worker: plannedWorker(spec.worker, id, plan) }),
  inject: (ctx, spec, id) => new WorkerStall(ctx, spec, id),
  fuzzable: (_network, c) => ((c.workers ?? 0) > 0 ? null : 'needs worker threads (constraints.workers > 0)'),
  arbitrary(_network, c, t) {
    const s = workerStallSchema.shape;
    const wall = c.maxWallMs ?? 20;
    return t.spec('worker-stall', { worker: fc.integer({ min: 0, max: Math.max(0, (c.workers ?? 0) - 1) }), durationMs: t.numberFrom(s.durationMs, wall), afterMs: t.numberFrom(s.afterMs, c.maxSimMs ?? 50) });
  },
});
