import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, reference, spikesOf } from './helpers.js';

describe('neuron-fault', () => {
  it('dead: the targets never fire and sit at reset; stop clears the table exactly', async () => {
    const sim = reference();
    const chaos = new ChaosController(sim, { seed: 2 });
    const f = await chaos.inject({ kind: 'neuron-fault', target: { populations: ['E'], percent: 25 }, mode: 'dead' });
    sim.advance(1000);
    assert.equal(spikesOf(sim, f.targets.neurons!, 0, 1000), 0);
    assert.ok(f.verify().ok, f.verify().evidence);
    await f.stop();
    assert.ok((sim.buffer('faultCode') as Uint8Array).every((c) => c === 0));
    assert.ok(f.verify().ok);
    sim.advance(1000);
    assert.ok(spikesOf(sim, f.targets.neurons!, 1000, 2000) > 0, 'they fire again');
  });

  it('saturated: the targets fire at the refractory ceiling', async () => {
    const sim = reference();
    const chaos = new ChaosController(sim);
    const f = await chaos.inject({ kind: 'neuron-fault', target: { neurons: [1, 2, 3] }, mode: 'saturated' });
    sim.advance(2100);
    // t_ref = 2 ms = 20 steps: one spike every 21 steps.
    assert.equal(spikesOf(sim, [1, 2, 3], 0, 2100), 3 * 100);
    await f.stop();
  });

  it('stuck: the membrane holds the value; drift of threshold raises the rate', async () => {
    const sim = reference();
    const chaos = new ChaosController(sim);
    const stuck = await chaos.inject({ kind: 'neuron-fault', target: { neurons: [7] }, mode: 'stuck', valueMv: -61.5 });
    sim.advance(10);
    assert.equal(sim.buffer('membraneMv')[7], -61.5);
    assert.ok(stuck.verify().ok);
    await stuck.stop();

    const base = reference();
    base.advance(2000);
    const drifted = reference();
    await new ChaosController(drifted).inject({ kind: 'neuron-fault', target: { populations: ['E'] }, mode: 'drift', parameter: 'threshold', factor: 0.8 });
    drifted.advance(2000);
    const e = chaosNet.populations[0];
    const ids = Array.from({ length: e.size }, (_, k) => k);
    // Measured 1.4x at factor 0.8 (recurrent inhibition damps the rise).
    assert.ok(spikesOf(drifted, ids, 0, 2000) > 1.2 * spikesOf(base, ids, 0, 2000));
  });

  it('a fault injected and stopped before any step leaves the run identical to an unfaulted one', async () => {
    const a = reference();
    const chaos = new ChaosController(a);
    const f = await chaos.inject({ kind: 'neuron-fault', mode: 'drift', parameter: 'tauMembrane', factor: 3 });
    await f.stop();
    a.advance(1000);
    const b = reference();
    b.advance(1000);
    assert.equal(a.recorder.spikeHash(), b.recorder.spikeHash());
  });

  it('works the same on the workers backend, and per replica', async () => {
    const spec = { kind: 'neuron-fault', target: { percent: 10, replicas: [1] }, mode: 'dead' };
    const ref = reference(2);
    await new ChaosController(ref, { seed: 9 }).injectUnknown(spec);
    ref.advance(1000);
    const w = new WorkersBackend(chaosNet, { workers: 2, batch: 2 });
    try {
      await new ChaosController(w, { seed: 9 }).injectUnknown(spec);
      await w.run(1000);
      assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash());
      assert.notEqual(ref.recorder.replicaHash(0), ref.recorder.replicaHash(1));
      const control = reference();
      control.advance(1000);
      assert.equal(ref.recorder.replicaHash(0), control.recorder.replicaHash(0), 'replica 0 stays a control');
    } finally {
      await w.dispose();
    }
  });

  it('refuses incomplete specs', async () => {
    const chaos = new ChaosController(reference());
    await assert.rejects(chaos.inject({ kind: 'neuron-fault', mode: 'stuck' }), (e: unknown) => e instanceof InputError && e.field === 'fault.valueMv');
    await assert.rejects(chaos.inject({ kind: 'neuron-fault', mode: 'drift', parameter: 'threshold' }), (e: unknown) => e instanceof InputError && e.field === 'fault.factor');
    await assert.rejects(chaos.injectUnknown({ kind: 'neuron-fault', mode: 'zombie' }), (e: unknown) => e instanceof InputError && e.field === 'fault.mode');
  });
});

describe('durations the controller enforces', () => {
  it('a neuron fault with durationMs is stopped at its step by controller.run', async () => {
    const sim = reference();
    const chaos = new ChaosController(sim);
    const f = await chaos.inject({ kind: 'neuron-fault', target: { neurons: [4] }, mode: 'saturated', durationMs: 10 });
    await chaos.run(99);
    assert.equal(f.stopped, false);
    await chaos.run(1);
    assert.equal(f.stopped, true);
    assert.equal((sim.buffer('faultCode') as Uint8Array)[4], 0);
  });
});
