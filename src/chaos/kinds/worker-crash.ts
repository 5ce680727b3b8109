import fc from 'fast-check';
import { InputError } from '../../util/errors.js';
import { StreamRng } from '../../util/rng.js';
import { defineFaultKind, type FaultKindDescriptor, type PlanContext } from '../kind-descriptor.js';
import { WorkerCrash, workerCrashSchema } from '../worker-faults.js';

/** The worker a worker fault hits, chosen as injection chooses it (the same stream); a worker the run lacks is an InputError. */
export function plannedWorker(requested: number | undefined, id: string, plan: PlanContext): number {
  if (requested !== undefined) {
    if (requested >= plan.workers) throw new InputError(`${plan.root}.worker`, `must be a worker in [0, ${plan.workers - 1}] (got ${requested}; the run has ${plan.workers} worker thread(s))`);
    return requested;
  }
  return new StreamRng(`${plan.seed}:fault:${id}:worker`).below(plan.workers);
}

/** Worker crash: a shard's worker thread dies mid-run; the supervisor recovers it. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const workerCrashKind: FaultKindDescriptor<'worker-crash', typeof workerCrashSchema> = defineFaultKind({
  kind: 'worker-crash',
  schema: workerCrashSchema,
  perReplica: false,
  // The crash is an event: it has no duration.
  durationEndsBy: 'none',
  actsOn: ['worker-threads'],
  requires: ['shard-supervision'],
  timeScaled: ['afterMs'],
  report: { summary: 'a shard\'s worker thread dies mid-run (terminated from outside, exits, or its task throws) and the supervisor must recover it' },
  // A crash always hits its worker (one that exists: planTargets checks it; a backend without workers refuses it at injection).
  emptyScope: () => null,
  planTargets: (spec, id, plan) => ({ worker: plannedWorker(spec.worker, id, plan) }),
  inject: (ctx, spec, id) => new WorkerCrash(ctx, spec, id),
  fuzzable: (_network, c) => ((c.workers ?? 0) > 0 ? null : 'needs worker threads (constraints.workers > 0)'),
  arbitrary(_network, c, t) {
    const s = workerCrashSchema.shape;
    return t.spec('worker-crash', { worker: t.opt(fc.integer({ min: 0, max: Math.max(0, (c.workers ?? 0) - 1) })), mode: t.opt(fc.constantFrom('terminate', 'exit', 'throw')), afterMs: t.opt(t.numberFrom(s.afterMs, c.maxSimMs ?? 50)) });
  },
});
