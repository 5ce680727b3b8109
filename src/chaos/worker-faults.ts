import { z } from 'zod';
import { MAX_WORKERS } from '../config/settings.js';
import { requireCapability, type ShardSupervision } from '../backends/capabilities.js';
import { InputError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import { boundedNumber } from '../util/zod-errors.js';
import { roundedSteps } from '../util/time-steps.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';

export const workerCrashSchema = z
  .object({
    kind: z.literal('worker-crash'),
    id: z.string().min(1).max(64).optional(),
    /** Shard whose worker dies; absent: drawn from the fault's seeded stream. */
    worker: boundedNumber(0, MAX_WORKERS - 1, { integer: true }).optional(),
    /** terminate: killed from outside mid-chunk; exit: the thread exits; throw: its task throws. */
    mode: z.enum(['terminate', 'exit', 'throw']).default('exit'),
    /** Simulated ms after injection at which it dies. */
    afterMs: boundedNumber(0, 1e9).default(0),
  })
  .strict();
export type WorkerCrashSpec = z.infer<typeof workerCrashSchema>;

export const workerStallSchema = z
  .object({
    kind: z.literal('worker-stall'),
    id: z.string().min(1).max(64).optional(),
    worker: boundedNumber(0, MAX_WORKERS - 1, { integer: true }).optional(),
    /** Wall-clock ms the worker stops answering. */
    durationMs: boundedNumber(0, 600_000, { exclusiveMin: true }).default(1000),
    afterMs: boundedNumber(0, 1e9).default(0),
  })
  .strict();
export type WorkerStallSpec = z.infer<typeof workerStallSchema>;

function workersOf(ctx: FaultContext, kind: string): ShardSupervision {
  return requireCapability(ctx.backend, 'shard-supervision', 'fault.kind', kind, `${kind} needs the workers backend, the one with worker threads to fail (this run uses "${ctx.backend.name}")`);
}

function chooseWorker(ctx: FaultContext, backend: ShardSupervision, requested: number | undefined, id: string): number {
  if (requested !== undefined) {
    if (requested >= backend.workers) throw new InputError('fault.worker', `must be a worker in [0, ${backend.workers - 1}] (got ${requested})`);
    return requested;
  }
  return new StreamRng(`${ctx.seed}:fault:${id}:worker`).below(backend.workers);
}

/**
 * What both worker faults share: the supervised shards (the backend's
 * shard-supervision capability), the chosen worker, the step it fails at,
 * and undoing a failure that has not been served yet.
 */
abstract class ShardFault extends FaultBase {
  protected readonly backend: ShardSupervision;
  protected readonly worker: number;
  protected readonly atStep: number;

  constructor(ctx: FaultContext, kind: 'worker-crash' | 'worker-stall', spec: WorkerCrashSpec | WorkerStallSpec, id: string, permanent: boolean) {
    const backend = workersOf(ctx, kind);
    const worker = chooseWorker(ctx, backend, spec.worker, id);
    super(id, kind, spec, { worker }, permanent, ctx);
    this.backend = backend;
    this.worker = worker;
    this.atStep = ctx.step + roundedSteps(spec.afterMs, ctx.network.dtMs, 'fault.afterMs', { minSteps: 0 });
  }

  /** Drops the failure if its step has not come, and ends a stall in progress. */
  protected cancelPending(): void {
    this.backend.cancelFailures(this.worker, this.atStep);
    if (this.backend.isStalled(this.worker)) this.backend.releaseStall(this.worker);
  }
}

/**
 * Worker crash: the chosen worker dies mid-run (terminated from outside, exits,
 * or its task throws). The engine's supervisor recovers; the fault is the
 * event, so stop only cancels a crash that has not happened yet.
 */
export class WorkerCrash extends ShardFault {
  private readonly restartsBefore: number;
  private killer: NodeJS.Timeout | null = null;

  constructor(ctx: FaultContext, spec: WorkerCrashSpec, id: string) {
    super(ctx, 'worker-crash', spec, id, true);
    const { backend, worker } = this;
    this.restartsBefore = backend.restartCount;
    if (spec.mode === 'terminate') {
      // Block the worker at the step, then kill its thread from outside while it is in flight.
      backend.injectFailure(worker, this.atStep, 'stall', 60_000);
      this.killer = setInterval(() => {
        if (backend.isStalled(worker)) {
          this.clearKiller();
          void backend.terminateShardThread(worker);
        }
      }, 2);
      this.killer.unref();
    } else {
      backend.injectFailure(worker, this.atStep, spec.mode);
    }
  }

  private clearKiller(): void {
    if (this.killer) clearInterval(this.killer);
    this.killer = null;
  }

  protected async undo(): Promise<void> {
    this.clearKiller();
    this.cancelPending();
  }

  protected verifyActive(): VerifyResult {
    const restarts = this.backend.restartCount - this.restartsBefore;
    if (this.backend.currentStep <= this.atStep && restarts === 0) return { ok: true, evidence: `worker ${this.worker} is set to die at step ${this.atStep} (now ${this.backend.currentStep})` };
    return { ok: restarts > 0, evidence: `the supervisor recovered from ${restarts} lost worker(s) since injection (worker ${this.worker} due at step ${this.atStep})` };
  }

  protected verifyGone(): VerifyResult {
    return { ok: true, evidence: `no crash of worker ${this.worker} is pending; ${this.backend.restartCount - this.restartsBefore} recovery(ies) happened` };
  }
}

/** Worker stall: the chosen worker stops answering for a wall-clock duration; the others wait for it. Stop releases it early. */
export class WorkerStall extends ShardFault {
  private readonly servedBefore: number;

  constructor(ctx: FaultContext, spec: WorkerStallSpec, id: string) {
    super(ctx, 'worker-stall', spec, id, false);
    this.servedBefore = this.backend.stallsServed(this.worker);
    this.backend.injectFailure(this.worker, this.atStep, 'stall', spec.durationMs);
  }

  protected async undo(): Promise<void> {
    this.cancelPending();
  }

  protected verifyActive(): VerifyResult {
    const served = this.backend.stallsServed(this.worker) - this.servedBefore;
    const now = this.backend.isStalled(this.worker);
    if (!now && served === 0 && this.backend.currentStep <= this.atStep) return { ok: true, evidence: `worker ${this.worker} is set to stall at step ${this.atStep}` };
    return { ok: now || served > 0, evidence: `worker ${this.worker} ${now ? 'is stalled now' : `served ${served} stall(s)`}` };
  }

  protected verifyGone(): VerifyResult {
    const now = this.backend.isStalled(this.worker);
    return { ok: !now, evidence: `worker ${this.worker} ${now ? 'is still stalled' : 'answers again'}` };
  }
}
