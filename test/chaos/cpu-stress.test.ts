import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { CpuStress } from '../../src/chaos/cpu-stress.js';
import { reference } from './helpers.js';

describe('cpu-stress', () => {
  it('runs real busy threads at the given load, and stops them', async () => {
    const chaos = new ChaosController(reference());
    const f = (await chaos.inject({ kind: 'cpu-stress', threads: 2, load: 0.5 })) as CpuStress;
    // Measured over a window that opens once the threads run: their start-up
    // (tens of ms here, far more on a loaded CI machine) is not the load.
    for (const t0 = performance.now(); f.busyTotalMs === 0 && performance.now() - t0 < 20_000; ) await new Promise((r) => setTimeout(r, 10));
    const busy0 = f.busyTotalMs;
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, 400));
    const busy = f.busyTotalMs - busy0;
    const windowMs = performance.now() - t0;
    // Two threads at 50%: about windowMs busy in all; never more than both threads all the time.
    assert.ok(busy > 0.25 * windowMs && busy < 2 * windowMs, `busy ${busy.toFixed(0)} ms in a ${windowMs.toFixed(0)} ms window`);
    assert.ok(f.verify().ok, f.verify().evidence);
    await f.stop();
    await new Promise((r) => setTimeout(r, 100));
    const v = f.verify();
    assert.ok(v.ok, v.evidence);
  });

  it('stops by itself after its duration', async () => {
    const chaos = new ChaosController(reference());
    const f = await chaos.inject({ kind: 'cpu-stress', durationMs: 100 });
    await new Promise((r) => setTimeout(r, 400));
    assert.equal(f.stopped, true);
  });
});
