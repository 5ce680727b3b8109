import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, reference } from './helpers.js';
import { supervision } from '../helpers/shard-supervision.js';

const pools: WorkersBackend[] = [];
const pool = (workers = 2) => {
  const w = new WorkersBackend(chaosNet, { workers, checkpointEverySteps: 300 });
  pools.push(w);
  return w;
};
after(async () => Promise.all(pools.map((p) => p.dispose())));

describe('worker-crash and worker-stall', () => {
  for (const mode of ['exit', 'throw', 'terminate'] as const) {
    it(`worker-crash (${mode}): the worker dies mid-run, the supervisor recovers, spikes are unchanged`, async () => {
      const ref = reference();
      ref.advance(1500);
      const w = pool();
      await w.run(100);
      const chaos = new ChaosController(w, { seed: 1 });
      const crash = await chaos.inject({ kind: 'worker-crash', worker: 1, mode, afterMs: 60 });
      assert.equal(crash.targets.worker, 1);
      assert.ok(crash.verify().ok, 'armed');
      await w.run(1400);
      const v = crash.verify();
      assert.ok(v.ok, v.evidence);
      assert.match(v.evidence, /recovered from 1 lost worker/);
      assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash());
      await crash.stop();
    });
  }

  it('worker-crash picks the worker from the seeded stream when none is named, and can be cancelled before it happens', async () => {
    const w = pool(3);
    const a = await new ChaosController(w, { seed: 77 }).inject({ kind: 'worker-crash', id: 'c', afterMs: 1000 });
    const b = await new ChaosController(w, { seed: 77 }).inject({ kind: 'worker-crash', id: 'c', afterMs: 1000 });
    assert.equal(a.targets.worker, b.targets.worker);
    await a.stop();
    await b.stop();
    await w.run(20000 > 0 ? 12000 : 0);
    assert.equal(w.restartCount, 0, 'cancelled crashes never happen');
  });

  it('worker-stall: the worker stops answering for the duration; stop releases it early', async () => {
    const w = pool();
    const chaos = new ChaosController(w);
    const stall = await chaos.inject({ kind: 'worker-stall', worker: 0, durationMs: 30_000, afterMs: 5 });
    const t0 = Date.now();
    const running = w.run(500);
    while (!supervision(w).isStalled(0)) await new Promise((r) => setTimeout(r, 5));
    assert.ok(stall.verify().ok);
    await stall.stop();
    await running;
    assert.ok(Date.now() - t0 < 10_000, 'released long before 30 s');
    assert.ok(stall.verify().ok, stall.verify().evidence);
    const ref = reference();
    ref.advance(500);
    assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash(), 'a stall delays, it does not change the spikes');
  });

  it('is refused on the single-threaded backend with the reason', async () => {
    const chaos = new ChaosController(reference());
    await assert.rejects(chaos.inject({ kind: 'worker-crash' }), (e: unknown) => e instanceof InputError && /needs the workers backend/.test(e.message));
    const w = pool();
    await assert.rejects(new ChaosController(w).inject({ kind: 'worker-stall', worker: 5 }), (e: unknown) => e instanceof InputError && e.field === 'fault.worker' && /\[0, 1\]/.test(e.message));
  });
});
