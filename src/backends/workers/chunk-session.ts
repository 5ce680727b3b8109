import type { Piscina } from 'piscina';
import type { StepEffects } from '../backend.js';
import { abortBarrier, resetBarrier } from './barrier.js';
import type { ChunkResult, ChunkTask } from './protocol.js';

/** Words of the command block (an Int32Array in a SharedArrayBuffer) and of its float64 companion. */
export const CMD_SEQ = 0;
export const CMD_KIND = 1;
/** Workers that finished the current command's chunk. */
export const CMD_DONE = 2;
export const CMD_STEPS = 3;
export const CMD_LENGTH = 4;
/** commandF64: the chunk's first step and the per-step randomness seed (both may pass 2^31). */
export const CMDF_FROM = 0;
export const CMDF_SEED = 1;
export const CMDF_LENGTH = 2;
export const KIND_RUN = 1;
export const KIND_STOP = 2;

type WaitAsync = (a: Int32Array, index: number, value: number, timeoutMs?: number) => { async: false; value: string } | { async: true; value: Promise<string> };
/** Atomics.waitAsync (Node 20 has it; its types do not). */
export const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/** A chunk's failure: the shard whose task failed (-1: none in particular, a thread that cannot start). */
export type ChunkFailure = { shard: number; error: string };

/**
 * Chunks without a piscina round trip each: one long task per shard (a
 * session) waits on a shared command block, the main thread posts each chunk
 * there (an atomic store and a notify) and awaits the workers' done count
 * with Atomics.waitAsync, so its event loop stays free. Why: a pool.run per
 * shard and chunk cost about 1 ms of messaging and thread wake-ups per chunk
 * on the 2-core machine at load 6 (CUBA, 100-step chunks of about 0.5 ms of
 * work: the messaging took more than the simulation). A session lives within
 * one run() of the backend, with one StepEffects; a worker lost during it
 * ends it (the caller recovers, as with a failed chunk).
 */
export class ChunkSession {
  private readonly tasks: Promise<void>[];
  private failure: ChunkFailure | null = null;
  private settledOne!: () => void;
  /** Resolves when any session task ends (normally only after stop()). */
  private readonly anySettled = new Promise<void>((resolve) => (this.settledOne = resolve));
  private stopped = false;
  /** Set by abandon(): a shard thread died outside any task, so some of this session's tasks may never start. */
  private threadLost: Error | null = null;
  private abandoned!: () => void;
  private readonly whenAbandoned = new Promise<void>((resolve) => (this.abandoned = resolve));

  constructor(
    private readonly pool: Piscina<ChunkTask, ChunkResult>,
    private readonly command: Int32Array,
    private readonly commandF64: Float64Array,
    private readonly control: Int32Array,
    readonly effects: StepEffects,
    shards: number,
  ) {
    const seq = Atomics.load(command, CMD_SEQ);
    this.tasks = Array.from({ length: shards }, (_, shard) =>
      pool.run({ shard, fromStep: 0, steps: 0, seed: 0, effects, steal: true, sessionSeq: seq }).then(
        (r) => {
          if (!r.completed && !this.failure && !this.stopped) this.failure = { shard, error: 'released by the supervisor' };
          this.settledOne();
        },
        (e: unknown) => {
          // The worker threw, exited or was terminated: release the others.
          if (!this.failure || this.failure.error === 'released by the supervisor') this.failure = { shard, error: e instanceof Error ? e.message : String(e) };
          abortBarrier(control);
          Atomics.notify(command, CMD_SEQ);
          this.settledOne();
        },
      ),
    );
  }

  /** Whether the session can take another chunk (no worker lost, not stopped). */
  get alive(): boolean {
    return !this.stopped && this.failure === null;
  }

  /** Runs one chunk on every shard; null on success, else the failure (the session is then over: await stop()). */
  async runChunk(fromStep: number, steps: number, seed: number): Promise<ChunkFailure | null> {
    const cmd = this.command;
    const parties = this.tasks.length;
    resetBarrier(this.control, parties);
    Atomics.store(cmd, CMD_DONE, 0);
    Atomics.store(cmd, CMD_STEPS, steps);
    this.commandF64[CMDF_FROM] = fromStep;
    this.commandF64[CMDF_SEED] = seed;
    Atomics.store(cmd, CMD_KIND, KIND_RUN);
    Atomics.add(cmd, CMD_SEQ, 1);
    Atomics.notify(cmd, CMD_SEQ);
    for (;;) {
      const done = Atomics.load(cmd, CMD_DONE);
      if (done >= parties) return null;
      if (this.failure) return this.failure;
      if (this.threadLost) return { shard: -1, error: this.threadLost.message };
      const w = waitAsync(cmd, CMD_DONE, done);
      if (w.async) await Promise.race([w.value, this.anySettled]);
    }
  }

  /**
   * A shard thread died with no task of ours (it failed to start): a task
   * queued for a thread that never starts would never settle. Wakes a waiting
   * runChunk, which returns a failure, and lets stop() return without
   * those tasks (the pool's destroy() in dispose rejects them).
   */
  abandon(error: Error): void {
    this.threadLost ??= error;
    this.abandoned();
    this.settledOne();
  }

  /** Ends the session: the workers return their tasks; resolves when all have (or at once once abandoned). */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      Atomics.store(this.command, CMD_KIND, KIND_STOP);
      Atomics.add(this.command, CMD_SEQ, 1);
      Atomics.notify(this.command, CMD_SEQ);
    }
    await Promise.race([Promise.all(this.tasks), this.whenAbandoned]);
    resetBarrier(this.control, this.tasks.length);
  }
}
