import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { CpuStress } from '../../src/chaos/cpu-stress.js';
import { reference } from './helpers.js';

describe('cpu-stress', () => {
  it('runs real busy threads at the given load, and stops them', async () => {
    const chaos = new ChaosController(reference());
    const f = (await chaos.inject({ kind: 'cpu-stress', threads: 2, load: 0.5 })) as CpuStress;
    await new Promise((r) => setTimeout(r, 400));
    const busy = f.busyTotalMs;
    // Two threads at 50% for 0.4 s: about 400 ms busy; thread start-up eats some of it.
    assert.ok(busy > 20 && busy < 800, `busy ${busy} ms`);
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
