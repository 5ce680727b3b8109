import type { ShardFailureMode, ShardSupervision, ShardSupervisionEvents } from '../capabilities.js';
import type { WorkersBackend } from './workers-backend.js';

/**
 * The workers backend's `shard-layout` and `shard-supervision`
 * capabilities: the failures the chaos layer injects into shards, stalls,
 * killing a shard's thread from outside, and the supervisor's reports.
 * Callers reach the hooks through `backend.capability(...)`, never by
 * testing for the workers class.
 */
export class ShardSupervisor implements ShardSupervision {
  constructor(private readonly backend: WorkersBackend) {}

  get workers(): number {
    return this.backend.workers;
  }

  get shards(): WorkersBackend['shards'] {
    return this.backend.shards;
  }

  get currentStep(): number {
    return this.backend.currentStep;
  }

  get restartCount(): number {
    return this.backend.restartCount;
  }

  injectFailure(shard: number, atStep: number, mode: ShardFailureMode, stallMs?: number): void {
    this.backend.injectFailure(shard, atStep, mode, stallMs);
  }

  cancelFailures(shard: number, atStep: number): number {
    return this.backend.cancelFailures(shard, atStep);
  }

  releaseStall(shard: number): void {
    this.backend.releaseStall(shard);
  }

  stallsServed(shard: number): number {
    return this.backend.stallsServed(shard);
  }

  isStalled(shard: number): boolean {
    return this.backend.isStalled(shard);
  }

  terminateShardThread(shard: number): Promise<boolean> {
    return this.backend.terminateShardThread(shard);
  }

  onSupervision<E extends keyof ShardSupervisionEvents>(event: E, listener: (...args: ShardSupervisionEvents[E]) => void): void {
    this.backend.on(event, listener as never);
  }
}
