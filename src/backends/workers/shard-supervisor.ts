import type { EventEmitter } from 'node:events';
import type { Piscina } from 'piscina';
import { check } from '../../util/errors.js';
import type { ShardFailureMode, ShardSupervision, ShardSupervisionEvents } from '../capabilities.js';
import type { ChunkResult, ChunkTask, InjectedFailure, Shard, WorkerSharedData } from './protocol.js';

/** What the supervisor reads of the workers backend it belongs to. */
export interface SupervisedPool {
  readonly shared: WorkerSharedData;
  readonly pool: Piscina<ChunkTask, ChunkResult>;
  readonly shards: readonly Shard[];
  readonly events: EventEmitter<ShardSupervisionEvents>;
  /** Steps completed and chunks restarted so far. */
  currentStep(): number;
  restartCount(): number;
}

/**
 * The workers backend's `shard-supervision` capability: the failures the
 * chaos layer injects into shards (and when they are due), stalls, and
 * killing a shard's thread from outside. Kept out of the backend class so
 * that only code that asks for the capability can reach it.
 */
export class ShardSupervisor implements ShardSupervision {
  private pending: (InjectedFailure & { shard: number })[] = [];

  constructor(private readonly pool: SupervisedPool) {}

  get workers(): number {
    return this.pool.shards.length;
  }

  get shards(): readonly Shard[] {
    return this.pool.shards;
  }

  get currentStep(): number {
    return this.pool.currentStep();
  }

  get restartCount(): number {
    return this.pool.restartCount();
  }

  injectFailure(shard: number, atStep: number, mode: ShardFailureMode, stallMs?: number): void {
    check(Number.isInteger(shard) && shard >= 0 && shard < this.workers, 'shard', () => `must be an integer in [0, ${this.workers - 1}] (got ${shard})`);
    this.pending.push({ shard, atStep, mode, stallMs });
  }

  cancelFailures(shard: number, atStep: number): number {
    const before = this.pending.length;
    this.pending = this.pending.filter((f) => !(f.shard === shard && f.atStep >= atStep));
    return before - this.pending.length;
  }

  /** Removes and returns the failures due in [fromStep, fromStep + steps): at most one per shard per attempt, the rest wait for the retry. */
  takeDue(fromStep: number, steps: number): (InjectedFailure & { shard: number })[] {
    const due: (InjectedFailure & { shard: number })[] = [];
    for (const f of this.pending) {
      if (f.atStep >= fromStep && f.atStep < fromStep + steps && !due.some((d) => d.shard === f.shard)) due.push(f);
    }
    this.pending = this.pending.filter((f) => !due.includes(f));
    return due;
  }

  releaseStall(shard: number): void {
    Atomics.store(this.pool.shared.stalled, shard, 0);
    Atomics.notify(this.pool.shared.stalled, shard);
  }

  stallsServed(shard: number): number {
    return Atomics.load(this.pool.shared.stallsServed, shard);
  }

  isStalled(shard: number): boolean {
    return Atomics.load(this.pool.shared.stalled, shard) === 1;
  }

  async terminateShardThread(shard: number): Promise<boolean> {
    const id = Atomics.load(this.pool.shared.shardThread, shard);
    const worker = this.pool.pool.threads.find((w) => w.threadId === id);
    if (!worker) return false;
    await worker.terminate();
    return true;
  }

  onSupervision<E extends keyof ShardSupervisionEvents>(event: E, listener: (...args: ShardSupervisionEvents[E]) => void): void {
    (this.pool.events as EventEmitter<ShardSupervisionEvents>).on(event, listener as never);
  }
}
