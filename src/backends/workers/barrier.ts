/**
 * The shard workers' shared control block (an Int32Array in a
 * SharedArrayBuffer): the progress of every shard's task chain, a progress
 * epoch to wait on, and an abort flag the main thread raises to release
 * everyone when a worker is lost (otherwise the survivors would wait for it
 * forever).
 *
 * A chunk is, for each shard k, a chain of tasks run strictly in order:
 * integrate interval 0, deliver interval 0, integrate interval 1, ... (task
 * x: integrate interval x/2 when x is even, deliver interval (x-1)/2 when
 * odd). Delivering an interval into shard k reads every shard's spikes of
 * that interval, so it waits until every chain has integrated it: the
 * min-delay barrier of NEST's MPI/thread scheme, expressed as a dependency.
 * A task is claimed by compare-and-swap on its chain's claim counter, by
 * whichever thread gets there first: a thread runs its own chain first and
 * takes a ready task of another chain when its own cannot go on (the owner
 * thread was preempted, or sleeps). On an oversubscribed machine the threads
 * that do run carry the shards of those that do not, instead of waiting for
 * them at every interval. Each task runs exactly once and its arithmetic does
 * not depend on the thread running it, so spikes stay bit-identical.
 */
export const CTL_EPOCH = 0;
export const CTL_ABORT = 1;
/** Waiters that are (or are about to be) asleep in Atomics.wait. */
export const CTL_SLEEPERS = 2;
export const CTL_CHAINS = 3;
/** Where the chains start, and the stride between two chains (16 int32: one cache line each). */
const CHAIN_BASE = 16;
const CHAIN_STRIDE = 16;
const DONE = 0;
const CLAIMED = 1;

/** Int32 words of a control block for `chains` shards. */
export function controlLength(chains: number): number {
  return CHAIN_BASE + CHAIN_STRIDE * chains;
}

const WAIT_SLICE_MS = 20;
/**
 * A sleep shorter than this (ms) would have ended had the thread spun a
 * little longer, so it counts as a wait that spinning would have won. About
 * ten futex wake-ups here (20-50 us each in a VM), and far below a scheduler
 * time slice (a few ms), which is how long a thread waits for a peer that
 * lost its core.
 */
export const SHORT_SLEEP_MS = 0.25;

/**
 * One thread's spin budget (Atomics.load iterations before sleeping), kept
 * between waits: the adaptive spin-then-park of glibc's adaptive mutexes and
 * of OpenMP runtimes' barriers. Doubles (up to `max`) when a wait ended while
 * spinning, halves (down to `min`) when it had to sleep. Why: on an idle
 * machine every shard has a core, the others finish within microseconds, well
 * under a futex wake-up (tens of microseconds), so spinning wins; on an
 * oversubscribed one a waiter spins for a thread that is not running and
 * takes time from it (measured: CUBA with 2 workers at load 5 on 2 cores,
 * 1M iterations of fixed spin made the run 25x slower than one worker).
 * A sleep that ended within SHORT_SLEEP_MS counts as a wait spinning would
 * have won (adaptSpin): without that, a budget that had halved down to its
 * minimum stayed there, since a spin of 64 loads almost never outlasts
 * another thread's task, and every later wait paid a futex sleep and wake
 * (the "slow mode" of docs/performance.md).
 */
export class SpinBudget {
  iterations: number;
  constructor(
    readonly max: number,
    readonly min = 64,
  ) {
    this.iterations = max;
  }
}

/**
 * The budget after a wait that spun `limit` iterations and then slept
 * `sleptMs` (null: it ended while spinning): doubled (up to max) when
 * spinning won or would have won (a sleep under SHORT_SLEEP_MS), halved
 * (down to min) when the thread slept longer.
 */
export function adaptSpin(spin: SpinBudget, limit: number, sleptMs: number | null): void {
  spin.iterations = sleptMs === null || sleptMs < SHORT_SLEEP_MS ? Math.min(spin.max, limit * 2) : Math.max(spin.min, limit >> 1);
}

/** Tasks of chain k completed (the next task to run is this index). */
export function chainDone(ctl: Int32Array, k: number): number {
  return Atomics.load(ctl, CHAIN_BASE + CHAIN_STRIDE * k + DONE);
}

/** Tasks of chain k claimed: equal to chainDone when nobody runs one of them now. */
export function chainClaimed(ctl: Int32Array, k: number): number {
  return Atomics.load(ctl, CHAIN_BASE + CHAIN_STRIDE * k + CLAIMED);
}

/** Claims task x of chain k; false when another thread was first. */
export function claimTask(ctl: Int32Array, k: number, x: number): boolean {
  return Atomics.compareExchange(ctl, CHAIN_BASE + CHAIN_STRIDE * k + CLAIMED, x, x + 1) === x;
}

/**
 * Marks task x of chain k done; with `wake`, wakes sleeping waiters. A
 * sleeping thread holds no claimed task, so with work sharing the threads
 * awake can run every task themselves: they wake sleepers only now and then
 * (to take them back when cores free up) and at the end of a chain, not at
 * every task (a notify costs a system call of microseconds, about what one
 * task of a small network costs).
 */
export function completeTask(ctl: Int32Array, k: number, x: number, wake: boolean): void {
  Atomics.store(ctl, CHAIN_BASE + CHAIN_STRIDE * k + DONE, x + 1);
  Atomics.add(ctl, CTL_EPOCH, 1);
  // Sequentially consistent: a waiter that registers after this load sees the new epoch in its wait.
  if (wake && Atomics.load(ctl, CTL_SLEEPERS) !== 0) Atomics.notify(ctl, CTL_EPOCH);
}

/**
 * Waits until the epoch moves past `seen` (some task completed) or the run is
 * aborted; false when aborted. Spins first, within the thread's budget.
 */
export function waitForProgress(ctl: Int32Array, seen: number, spin: SpinBudget): boolean {
  const limit = spin.iterations;
  for (let i = 0; i < limit; i++) {
    if (Atomics.load(ctl, CTL_EPOCH) !== seen) {
      adaptSpin(spin, limit, null);
      return Atomics.load(ctl, CTL_ABORT) === 0;
    }
  }
  const sleptFrom = performance.now();
  Atomics.add(ctl, CTL_SLEEPERS, 1);
  while (Atomics.load(ctl, CTL_EPOCH) === seen && Atomics.load(ctl, CTL_ABORT) === 0) {
    Atomics.wait(ctl, CTL_EPOCH, seen, WAIT_SLICE_MS);
  }
  Atomics.sub(ctl, CTL_SLEEPERS, 1);
  adaptSpin(spin, limit, performance.now() - sleptFrom);
  return Atomics.load(ctl, CTL_ABORT) === 0;
}

/**
 * Waits until word 0 of `command` (a session's command sequence) moves past
 * `seen`; returns the new sequence, or -1 when the run is aborted. Spins
 * first within the thread's budget, then sleeps.
 */
export function waitForCommand(command: Int32Array, seen: number, ctl: Int32Array, spin: SpinBudget): number {
  const limit = spin.iterations;
  for (let i = 0; i < limit; i++) {
    const seq = Atomics.load(command, 0);
    if (seq !== seen) return Atomics.load(ctl, CTL_ABORT) === 0 ? seq : -1;
  }
  while (Atomics.load(command, 0) === seen && Atomics.load(ctl, CTL_ABORT) === 0) Atomics.wait(command, 0, seen, WAIT_SLICE_MS);
  return Atomics.load(ctl, CTL_ABORT) === 0 ? Atomics.load(command, 0) : -1;
}

export function aborted(ctl: Int32Array): boolean {
  return Atomics.load(ctl, CTL_ABORT) !== 0;
}

/** Main thread: release every waiting worker and make every later wait fail. */
export function abortBarrier(ctl: Int32Array): void {
  Atomics.store(ctl, CTL_ABORT, 1);
  Atomics.add(ctl, CTL_EPOCH, 1);
  Atomics.notify(ctl, CTL_EPOCH);
}

/** Main thread, once every task has settled: arm the chains for the next chunk. */
export function resetBarrier(ctl: Int32Array, chains: number): void {
  Atomics.store(ctl, CTL_ABORT, 0);
  Atomics.store(ctl, CTL_SLEEPERS, 0);
  Atomics.store(ctl, CTL_CHAINS, chains);
  for (let k = 0; k < chains; k++) {
    Atomics.store(ctl, CHAIN_BASE + CHAIN_STRIDE * k + DONE, 0);
    Atomics.store(ctl, CHAIN_BASE + CHAIN_STRIDE * k + CLAIMED, 0);
  }
}
