import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import type { AllocatorPressure } from '../../src/chaos/allocator-pressure.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { AllocationError, Allocator } from '../../src/memory/allocator.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, reference } from './helpers.js';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';

describe('allocator-pressure', () => {
  it('freeFraction 0: no new buffer fits (a second simulation is refused); a running one, memory-neutral, goes on', async () => {
    const allocator = new Allocator(256 * 2 ** 20);
    const w = new WorkersBackend(chaosNet, { workers: 2, allocator });
    try {
      await w.run(100);
      const f = await new ChaosController(w, { allocator }).inject({ kind: 'allocator-pressure', freeFraction: 0 });
      assert.ok(f.verify().ok, f.verify().evidence);
      assert.throws(() => new ReferenceBackend(chaosNet, { allocator }), (e: unknown) => e instanceof AllocationError && e.reason === 'budget');
      await w.run(100);
      await f.stop();
      assert.ok(f.verify().ok);
      const ok = new ReferenceBackend(chaosNet, { allocator });
      await ok.dispose();
    } finally {
      await w.dispose();
    }
  });

  it('{"failureRate":1} after the first run: nothing in steady running allocates (the restart point is refreshed in place), so the run goes on exactly', async () => {
    const allocator = new Allocator(256 * 2 ** 20);
    const w = new WorkersBackend(chaosNet, { workers: 2, allocator });
    try {
      await w.run(100);
      const chaos = new ChaosController(w, { allocator });
      const f = await chaos.inject({ kind: 'allocator-pressure', failureRate: 1 });
      assert.ok(f.verify().ok, f.verify().evidence);
      const before = allocator.stats().allocations;
      await w.run(100);
      assert.equal(allocator.stats().allocations, before, 'no allocation while running');
      await f.stop();
      assert.ok(f.verify().ok);
      await w.run(100);
      const ref = reference();
      ref.advance(300);
      assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash());
    } finally {
      await w.dispose();
    }
  });

  it('holds real host memory (allocated and touched) until stopped', async () => {
    const chaos = new ChaosController(reference(), { allocator: new Allocator() });
    const rss0 = process.memoryUsage().rss;
    const f = (await chaos.inject({ kind: 'allocator-pressure', hostBytes: 96 * 2 ** 20 })) as AllocatorPressure;
    const grown = process.memoryUsage().rss - rss0;
    assert.ok(grown > 80 * 2 ** 20, `RSS grew by ${grown} bytes`);
    assert.ok(f.verify().ok, f.verify().evidence);
    await f.stop();
    assert.ok(f.verify().ok);
  });

  it('refuses pressure that does nothing, and a second allocator squeeze at once', async () => {
    const allocator = new Allocator();
    const chaos = new ChaosController(reference(), { allocator });
    await assert.rejects(chaos.inject({ kind: 'allocator-pressure' }), (e: unknown) => e instanceof InputError && e.field === 'fault.freeFraction');
    const f = await chaos.inject({ kind: 'allocator-pressure', latencyMs: 1 });
    await assert.rejects(chaos.inject({ kind: 'allocator-pressure', failureRate: 0.1 }), /already under pressure/);
    await f.stop();
    await assert.rejects(chaos.inject({ kind: 'allocator-pressure', freeFraction: 1.5 }), (e: unknown) => e instanceof InputError && e.field === 'fault.freeFraction' && /\[0, 1\]/.test(e.message));
  });
});
