import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { adaptSpin, controlLength, CTL_EPOCH, CTL_SLEEPERS, resetBarrier, SHORT_SLEEP_MS, SpinBudget, waitForProgress } from '../../../src/backends/workers/barrier.js';

/** A control block for one chain, in shared memory. */
function control(): Int32Array {
  const ctl = new Int32Array(new SharedArrayBuffer(4 * controlLength(1)));
  resetBarrier(ctl, 1);
  return ctl;
}

/** A thread that, after `delayMs`, completes a task: bumps the epoch and wakes sleepers. */
function bumpAfter(ctl: Int32Array, delayMs: number): Worker {
  const code = `
    const { workerData } = require('node:worker_threads');
    const ctl = new Int32Array(workerData.buffer);
    setTimeout(() => { Atomics.add(ctl, ${CTL_EPOCH}, 1); Atomics.notify(ctl, ${CTL_EPOCH}); }, workerData.delayMs);`;
  return new Worker(code, { eval: true, workerData: { buffer: ctl.buffer, delayMs } });
}

describe('barrier spin budget (adaptive spin-then-sleep)', () => {
  it('adaptSpin: a wait that ended while spinning, or after a short sleep, doubles the budget (up to max); a long sleep halves it (down to min)', () => {
    const spin = new SpinBudget(1024, 8);
    adaptSpin(spin, 100, null);
    assert.equal(spin.iterations, 200);
    adaptSpin(spin, 800, null);
    assert.equal(spin.iterations, 1024);
    adaptSpin(spin, 8, SHORT_SLEEP_MS / 2);
    assert.equal(spin.iterations, 16, 'a budget at its minimum climbs back after a sleep spinning would have won');
    adaptSpin(spin, 16, SHORT_SLEEP_MS);
    assert.equal(spin.iterations, 8);
    adaptSpin(spin, 8, 20);
    assert.equal(spin.iterations, 8, 'not below min');
  });

  it('from its minimum, a run of short sleeps brings the budget back to its maximum (the collapse the rule mends)', () => {
    const spin = new SpinBudget(50_000, 64);
    spin.iterations = spin.min;
    let waits = 0;
    while (spin.iterations < spin.max) {
      adaptSpin(spin, spin.iterations, 0.05);
      waits++;
    }
    assert.equal(spin.iterations, 50_000);
    assert.ok(waits <= 10, `${waits} waits`);
  });

  it('waitForProgress with real threads: an epoch already moved returns at once and doubles; a peer 40 ms late makes it sleep, halve, and leave no sleeper counted', async () => {
    const ctl = control();
    const spin = new SpinBudget(1 << 20, 8);
    spin.iterations = 64;
    Atomics.add(ctl, CTL_EPOCH, 1);
    assert.equal(waitForProgress(ctl, 0, spin), true);
    assert.equal(spin.iterations, 128);
    const seen = Atomics.load(ctl, CTL_EPOCH);
    const peer = bumpAfter(ctl, 40);
    await new Promise((r) => peer.once('online', r));
    const t0 = performance.now();
    assert.equal(waitForProgress(ctl, seen, spin), true);
    assert.ok(performance.now() - t0 >= 20, 'it waited for the peer');
    assert.equal(spin.iterations, 64, 'slept well past SHORT_SLEEP_MS: halved');
    assert.equal(Atomics.load(ctl, CTL_SLEEPERS), 0);
    await peer.terminate();
  });
});
