import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReply } from './job-child.js';
import type { JobResult } from './job.js';

const CHILD = fileURLToPath(new URL('./job-child.js', import.meta.url));

interface Slot {
  child: ChildProcess;
  busy: boolean;
  ready: Promise<void>;
  pending: Map<number, { resolve: (r: JobResult) => void; reject: (e: Error) => void }>;
}

/**
 * A pool of `size` persistent child processes, each running one job at a
 * time and many jobs in its life: a process loads the engine once and keeps
 * its reference runs (reference-run.ts) between jobs, so a job costs its
 * simulation, not a process start (about 0.4 s of module loading here, plus
 * the JIT's warm-up on the first job).
 *
 * Processes, not threads: a job that exhausts memory or crashes its process
 * takes only its own job with it (rejected with why: signal or exit code),
 * the process is replaced, and the pool goes on; the single-threaded cpu
 * backend gets a core each. A process holds no state a result depends on
 * (every job builds its own network and backend from its seed; a reference
 * run is keyed by everything it depends on), so which process ran a job
 * changes nothing in its result.
 *
 * The pool outlives any one campaign run: a caller may start it early
 * (`ready()`), hand it to several runs (`runLocal`'s `pool`), and `close()`
 * it when done.
 */
export class JobPool {
  private readonly slots: Slot[] = [];
  private readonly waiting: (() => void)[] = [];
  private nextId = 0;
  private closed = false;

  /** Starts `size` processes at once; `workDir` is the only folder their jobs write into. */
  constructor(readonly size: number, private readonly workDir: string) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    // Its own process group: a terminal's Ctrl-C reaches the parent alone, which stops the pool as it sees fit.
    const child = fork(CHILD, [this.workDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true, serialization: 'advanced' });
    let onReady: () => void = () => {};
    const slot: Slot = { child, busy: false, ready: new Promise<void>((r) => (onReady = r)), pending: new Map() };
    child.on('message', (m: ChildReply | { type: 'ready' }) => {
      if (m.type === 'ready') return onReady();
      const p = slot.pending.get(m.id);
      if (!p) return;
      slot.pending.delete(m.id);
      if (m.type === 'result') p.resolve(m.result);
      else p.reject(new Error(m.message));
    });
    child.on('exit', (code, signal) => {
      onReady();
      for (const p of slot.pending.values()) p.reject(new Error(`the job's process ended (${signal ?? `exit ${code}`})`));
      slot.pending.clear();
      if (!this.closed) {
        const at = this.slots.indexOf(slot);
        if (at >= 0) {
          this.slots[at] = this.spawn();
          this.releaseAll();
        }
      }
    });
    return slot;
  }

  /** Resolves when every process has loaded the engine and can take a job (a process that died meanwhile counts as ready: its replacement is waited for by `run`). */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  /** The processes' ids, now (a replaced process has a new one). */
  pids(): number[] {
    return this.slots.map((s) => s.child.pid ?? -1);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /**
   * Runs a job on the next free process, or on process `slot` (0 .. size - 1; its replacement, if it died)
   * when given: a caller that sends related jobs to the same process lets them share its reference runs.
   * @throws Error when the job's process ends before answering (a crash: the message names the signal or exit code), when the job throws outside its input (`name: message`), or when the pool is closed
   */
  async run(job: unknown, slotIndex?: number): Promise<JobResult> {
    if (slotIndex !== undefined && !(Number.isInteger(slotIndex) && slotIndex >= 0 && slotIndex < this.size)) throw new RangeError(`slot must be an integer in [0, ${this.size - 1}] (got ${slotIndex})`);
    const free = () => (slotIndex === undefined ? this.slots.find((s) => !s.busy) : this.slots[slotIndex].busy ? undefined : this.slots[slotIndex]);
    for (;;) {
      let slot: Slot | undefined;
      while (!(slot = free())) {
        if (this.closed) throw new Error('the pool is closed');
        await new Promise<void>((r) => this.waiting.push(r));
      }
      slot.busy = true;
      try {
        await slot.ready;
        if (this.closed) throw new Error('the pool is closed');
        // A process that died before it took this job (at start-up, say) has been replaced: take the next free one.
        if (!slot.child.connected) continue;
        const id = this.nextId++;
        return await new Promise<JobResult>((resolve, reject) => {
          slot!.pending.set(id, { resolve, reject });
          slot!.child.send({ type: 'job', id, job }, (err) => {
            if (err && slot!.pending.delete(id)) reject(new Error(`the job could not be sent to its process (${err.message})`));
          });
        });
      } finally {
        slot.busy = false;
        this.releaseAll();
      }
    }
  }

  /** Wakes every waiting run: each looks again for its process (a waiter bound to one slot must not sleep through its turn). */
  private releaseAll(): void {
    for (const w of this.waiting.splice(0)) w();
  }

  /** Ends every process now (running jobs are dropped: they run again next time). */
  async close(): Promise<void> {
    this.closed = true;
    const exits = this.slots.map((s) => (s.child.exitCode !== null || s.child.signalCode !== null ? Promise.resolve() : new Promise<void>((r) => s.child.once('exit', () => r()))));
    for (const s of this.slots) s.child.kill('SIGKILL');
    this.releaseAll();
    await Promise.all(exits);
  }
}
