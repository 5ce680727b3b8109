/**
 * A reusable barrier for the shard workers over a shared Int32Array, with an
 * abort flag the main thread raises to release everyone when a worker is
 * lost (otherwise the survivors would wait for it forever).
 */
export const CTL_ARRIVED = 0;
export const CTL_GENERATION = 1;
export const CTL_ABORT = 2;
export const CTL_PARTIES = 3;
export const CTL_LENGTH = 4;

const WAIT_SLICE_MS = 20;

/**
 * Waits until all parties arrive; false when the run was aborted. Spins
 * `spinIterations` first: an interval is often shorter than a futex wake-up
 * (tens of microseconds), but spinning only pays when every party has a core.
 */
export function barrierWait(ctl: Int32Array, spinIterations: number): boolean {
  if (Atomics.load(ctl, CTL_ABORT) !== 0) return false;
  const generation = Atomics.load(ctl, CTL_GENERATION);
  const parties = Atomics.load(ctl, CTL_PARTIES);
  if (Atomics.add(ctl, CTL_ARRIVED, 1) + 1 === parties) {
    Atomics.store(ctl, CTL_ARRIVED, 0);
    Atomics.add(ctl, CTL_GENERATION, 1);
    Atomics.notify(ctl, CTL_GENERATION);
    return Atomics.load(ctl, CTL_ABORT) === 0;
  }
  for (let i = 0; i < spinIterations; i++) {
    if (Atomics.load(ctl, CTL_GENERATION) !== generation) return Atomics.load(ctl, CTL_ABORT) === 0;
  }
  while (Atomics.load(ctl, CTL_GENERATION) === generation) {
    Atomics.wait(ctl, CTL_GENERATION, generation, WAIT_SLICE_MS);
    if (Atomics.load(ctl, CTL_ABORT) !== 0) return false;
  }
  return Atomics.load(ctl, CTL_ABORT) === 0;
}

/** Main thread: release every waiting worker and make every later wait fail. */
export function abortBarrier(ctl: Int32Array): void {
  Atomics.store(ctl, CTL_ABORT, 1);
  Atomics.add(ctl, CTL_GENERATION, 1);
  Atomics.notify(ctl, CTL_GENERATION);
}

/** Main thread, once every task has settled: arm the barrier for the next chunk. */
export function resetBarrier(ctl: Int32Array, parties: number): void {
  Atomics.store(ctl, CTL_ARRIVED, 0);
  Atomics.store(ctl, CTL_ABORT, 0);
  Atomics.store(ctl, CTL_PARTIES, parties);
}
