import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildReply } from './job-child.js';
import type { JobResult } from './job.js';

const CHILD = fileURLToPath(new URL('./job-child.js', import.meta.url));

/**
 * V8 flags of a pool process (after the parent's own, which a user's flag
 * overrides when it names the same one). `--initial-old-space-size`: V8
 * starts a process with a small old generation and runs a full
 * (mark-compact) collection whenever it fills; a pool process's heap settles
 * near 20-30 MB, and every job pushed it over again, so it ran about one
 * full collection per job (14 in 12 throughput jobs, `--trace-gc`), whose
 * marking runs on V8's background threads. With room for 256 MB it runs 4,
 * and the process's background CPU fell from 0.9 to 0.7 s over those jobs
 * (main thread unchanged). That matters with one process per core: a lone
 * process's background threads run free on an idle core, two processes'
 * take time from each other. The old generation still grows past it as a
 * job needs (a large model), and memory is returned when the process ends.
 */
export const POOL_PROCESS_FLAGS = ['--initial-old-space-size=256'];

/**
 * A pool process's exec arguments: POOL_PROCESS_FLAGS, then the parent's own
 * (so that a flag the user gave the parent wins), less the parent's `-e` /
 * `-p` code and its `--input-type`: fork drops it only from its default execArgv, and a child given
 * it would run that code instead of its module (started from `node -e`, the
 * code starts a pool, whose child starts a pool...).
 */
export function poolExecArgv(parentExecArgv: readonly string[] = process.execArgv, evalCode: string | undefined = (process as { _eval?: string })._eval): string[] {
  const parent = [...parentExecArgv];
  if (evalCode != null) {
    const at = parent.lastIndexOf(evalCode);
    if (at > 0) parent.splice(at - 1, 2);
  }
  // --input-type applies to that code alone: beside a module file, node refuses to start.
  const withoutCode = parent.filter((f) => !/^--(eval|print|input-type)=/.test(f));
  const named = (f: string) => f.split('=')[0].replace(/_/g, '-');
  const given = new Set(withoutCode.map(named));
  return [...POOL_PROCESS_FLAGS.filter((f) => !given.has(named(f))), ...withoutCode];
}

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
    const child = fork(CHILD, [this.workDir], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true, serialization: 'advanced', execArgv: poolExecArgv() });
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
