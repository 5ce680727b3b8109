import type { Piscina } from 'piscina';
import { check } from '../../util/errors.js';
import type { ShardFailureMode, ShardSupervision, ShardSupervisionEvents } from '../capabilities.js';
import type { InjectedFailure, Shard, WorkerSharedData } from './protocol.js';

/** What the supervisor reads of its workers backend: the layout, the shared control arrays, the pool, the step and restart count. */
export interface SupervisedShards {
  readonly workers: number;
  readonly shards: Shard[];
  readonly currentStep: number;
  readonly restartCount: number;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * The workers backend's `shard-layout` and `shard-supervision`
 * capabilities: the failures the chaos layer injects into shards, stalls,
 * killing a shard's thread from outside, and the supervisor's reports.
 * These hooks live here, not on WorkersBackend's public API: callers reach
 * them through `backend.capability('shard-supervision')`, never by testing
 * for the workers class. The backend asks `takeDue` which failures to hand
 * its shards at each chunk.
 */
export class ShardSupervisor implements ShardSupervision {
  private pending: (InjectedFailure & { shard: number })[] = [];

  constructor(
    private readonly backend: SupervisedShards,
    private readonly shared: Pick<WorkerSharedData, 'stalled' | 'stallsServed' | 'shardThread'>,
    private readonly pool: Pick<Piscina, 'threads'>,
  ) {}

  get workers(): number {
    return this.backend.workers;
  }

  get shards(): Shard[] {
    return this.backend.shards;
  }

  get currentStep(): number {
    return this.backend.currentStep;
  }

  get restartCount(): number {
    return this.backend.restartCount;
  }

  /** @throws InputError (field `shard`) for a shard outside [0, workers) */
  injectFailure(shard: number, atStep: number, mode: ShardFailureMode, stallMs?: number): void {
    check(Number.isInteger(shard) && shard >= 0 && shard < this.workers, 'shard', () => `must be an integer in [0, ${this.workers - 1}] (got ${shard})`);
    this.pending.push({ shard, atStep, mode, stallMs });
  }

  cancelFailures(shard: number, atStep: number): number {
    const before = this.pending.length;
    this.pending = this.pending.filter((f) => !(f.shard === shard && f.atStep >= atStep));
    return before - this.pending.length;
  }

  /**
   * The injected failures due in steps [fromStep, fromStep + steps), at most
   * one per shard (the rest wait for the retry), taken off the pending list.
   */
  takeDue(fromStep: number, steps: number): (InjectedFailure & { shard: number })[] {
    const due: (InjectedFailure & { shard: number })[] = [];
    for (const f of this.pending) {
      if (f.atStep >= fromStep && f.atStep < fromStep + steps && !due.some((d) => d.shard === f.shard)) due.push(f);
    }
    this.pending = this.pending.filter((f) => !due.includes(f));
    return due;
  }

  /** Whether an injected failure waits for its step. */
  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  releaseStall(shard: number): void {
    Atomics.store(this.shared.stalled, shard, 0);
    Atomics.notify(this.shared.stalled, shard);
  }

  stallsServed(shard: number): number {
    return Atomics.load(this.shared.stallsServed, shard);
  }

  isStalled(shard: number): boolean {
    return Atomics.load(this.shared.stalled, shard) === 1;
  }

  async terminateShardThread(shard: number): Promise<boolean> {
    const id = Atomics.load(this.shared.shardThread, shard);
    const worker = this.pool.threads.find((w) => w.threadId === id);
    if (!worker) return false;
    await worker.terminate();
    return true;
  }

  onSupervision<E extends keyof ShardSupervisionEvents>(event: E, listener: (...args: ShardSupervisionEvents[E]) => void): void {
    this.backend.on(event, listener as never);
  }
}
