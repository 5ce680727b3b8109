import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { AllocationError, Allocator } from '../../src/memory/allocator.js';
import { StreamRng } from '../../src/util/rng.js';
import { chaosNet } from '../chaos/helpers.js';

describe('Allocator', () => {
  it('keeps a budget, statistics and events', () => {
    const a = new Allocator(1000);
    const seen: string[] = [];
    a.on('allocation', (e) => seen.push(`${e.label}:${e.bytes}`));
    a.on('failure', (e) => seen.push(`fail:${e.bytes}`));
    const x = a.allocate(Float32Array, 100, false, 'x');
    assert.throws(() => a.allocate(Float64Array, 100, true, 'y'), (e: unknown) => e instanceof AllocationError && e.reason === 'budget' && /400 bytes in use of a 1000-byte budget/.test(e.message));
    a.release(x);
    a.release(x);
    const s = a.stats();
    assert.equal(s.inUseBytes, 0);
    assert.equal(s.peakBytes, 400);
    assert.equal(s.allocations, 1);
    assert.equal(s.failures, 1);
    assert.deepEqual(seen, ['x:400', 'fail:800']);
  });

  it('under pressure: squeezes the free budget, fails a fraction, adds latency', () => {
    const a = new Allocator(10_000);
    const held = a.allocate(Uint8Array, 2000, false, 'held');
    a.setPressure({ freeFraction: 0.5, rng: new StreamRng('p') });
    assert.equal(a.stats().effectiveBudgetBytes, 2000 + 4000);
    assert.throws(() => a.allocate(Uint8Array, 4500, false, 'big'), AllocationError);
    a.setPressure({ failureRate: 0.5, rng: new StreamRng('p') });
    let failed = 0;
    for (let i = 0; i < 200; i++) {
      try {
        a.release(a.allocate(Uint8Array, 1, false, 'small'));
      } catch {
        failed++;
      }
    }
    assert.ok(failed > 70 && failed < 130, `${failed} of 200 failed`);
    a.setPressure({ latencyMs: 15, rng: new StreamRng('p') });
    a.release(a.allocate(Uint8Array, 1, false, 'slow'));
    assert.ok(a.stats().maxLatencyMs >= 14);
    a.setPressure(null);
    assert.equal(a.stats().effectiveBudgetBytes, 10_000);
    a.release(held);
  });

  it('is where backends take their state from, and get it back on dispose', async () => {
    const a = new Allocator(64 * 2 ** 20);
    const sim = new ReferenceBackend(chaosNet, { allocator: a });
    // The state, and the spike record's first chunk (the record grows from the same allocator).
    assert.equal(a.stats().inUseBytes, sim.metrics().stateBytes + a.inUseFor('spike record'));
    assert.ok(a.inUseFor('spike record') > 0);
    await sim.dispose();
    assert.equal(a.stats().inUseBytes, 0);
    assert.throws(() => new ReferenceBackend(chaosNet, { allocator: new Allocator(1000) }), (e: unknown) => e instanceof AllocationError && /simulation state/.test(e.message));
  });
});
