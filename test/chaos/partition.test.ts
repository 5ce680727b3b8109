import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { Partition } from '../../src/chaos/partition.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, reference } from './helpers.js';

describe('partition', () => {
  for (const mode of ['drop', 'delay'] as const) {
    it(`${mode}: cuts spikes between populations, the same on every backend, and lifts on stop`, async () => {
      const spec = { kind: 'partition', id: 'p', from: { populations: ['E'] }, to: { populations: ['I'] }, direction: 'one-way', mode, extraDelayMs: mode === 'delay' ? 2 : undefined };
      const undisturbed = reference();
      undisturbed.advance(1500);
      const ref = reference();
      ref.advance(200);
      const refChaos = new ChaosController(ref);
      const p = (await refChaos.injectUnknown(spec)) as Partition;
      ref.advance(800);
      assert.ok(p.affected > 0);
      assert.ok(p.verify().ok, p.verify().evidence);
      await p.stop();
      const atStop = p.affected;
      ref.advance(500);
      assert.equal(p.affected, atStop);
      assert.ok(p.verify().ok);
      assert.notEqual(ref.recorder.spikeHash(), undisturbed.recorder.spikeHash());

      const w = new WorkersBackend(chaosNet, { workers: 2 });
      try {
        await w.run(200);
        const wp = (await new ChaosController(w).injectUnknown(spec)) as Partition;
        await w.run(800);
        await wp.stop();
        await w.run(500);
        assert.equal(wp.affected, atStop);
        assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash());
      } finally {
        await w.dispose();
      }
    });
  }

  it('ends by itself after its duration', async () => {
    const sim = reference();
    const p = (await new ChaosController(sim).inject({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['E'] }, durationMs: 10 })) as Partition;
    sim.advance(100);
    const after = p.affected;
    assert.ok(after > 0);
    sim.advance(500);
    assert.equal(p.affected, after);
  });

  it('cuts between shards on the workers backend; refuses shards elsewhere and out-of-range delays', async () => {
    const w = new WorkersBackend(chaosNet, { workers: 2 });
    try {
      const p = (await new ChaosController(w).inject({ kind: 'partition', from: { shards: [0] }, to: { shards: [1] } })) as Partition;
      await w.run(500);
      assert.ok(p.affected > 0);
      await p.stop();
    } finally {
      await w.dispose();
    }
    const chaos = new ChaosController(reference());
    await assert.rejects(chaos.inject({ kind: 'partition', from: { shards: [0] }, to: { shards: [1] } }), (e: unknown) => e instanceof InputError && e.field === 'fault.from.shards' && /workers backend only/.test(e.message));
    await assert.rejects(chaos.inject({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, mode: 'delay', extraDelayMs: 9 }), (e: unknown) => e instanceof InputError && e.field === 'fault.extraDelayMs' && /at most 5 ms/.test(e.message));
    await assert.rejects(chaos.inject({ kind: 'partition', from: { populations: ['E'] }, to: {} }), (e: unknown) => e instanceof InputError && e.field === 'fault.to');
  });
});
