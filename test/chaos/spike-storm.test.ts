import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { SpikeStorm } from '../../src/chaos/spike-storm.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, reference, spikesOf } from './helpers.js';

describe('spike-storm', () => {
  it('writes a regular 10 kHz train into the input buffers: exactly one event per step per target', async () => {
    const sim = reference();
    sim.advance(100);
    const chaos = new ChaosController(sim, { seed: 3 });
    const storm = (await chaos.inject({ kind: 'spike-storm', target: { count: 5 }, rateHz: 10000, train: 'regular', amplitude: 400, durationMs: 2 })) as SpikeStorm;
    assert.equal(storm.targets.neurons!.length, 5);
    sim.advance(50);
    assert.equal(storm.eventsInjected, 5 * 20);
    const v = storm.verify();
    assert.ok(v.ok, v.evidence);
    assert.ok(spikesOf(sim, storm.targets.neurons!, 100, 150) >= 5, 'a 400 pA storm every step makes the targets fire');
    await storm.stop();
    sim.advance(50);
    assert.ok(storm.verify().ok);
  });

  it('refuses a rate above 1/dt with the grid ceiling in the message', async () => {
    const chaos = new ChaosController(reference());
    await assert.rejects(chaos.inject({ kind: 'spike-storm', rateHz: 10001, amplitude: 10 }), (e: unknown) => e instanceof InputError && e.field === 'fault.rateHz' && /at most 1\/dt = 10000 Hz/.test(e.message));
    await assert.rejects(chaos.injectUnknown({ kind: 'spike-storm', rateHz: 100, amplitude: 10, unit: 'V' }), (e: unknown) => e instanceof InputError && e.field === 'fault.unit');
    await assert.rejects(chaos.injectUnknown({ kind: 'spike-storm', amplitude: 10 }), (e: unknown) => e instanceof InputError && e.field === 'fault.rateHz');
  });

  it('lands identically on the workers backend (Poisson storm, same spikes as the reference)', async () => {
    const spec = { kind: 'spike-storm', id: 'storm', target: { populations: ['E'], percent: 10 }, rateHz: 2000, amplitude: 150, durationMs: 30 };
    const ref = reference();
    ref.advance(200);
    const refStorm = (await new ChaosController(ref, { seed: 8 }).injectUnknown(spec)) as SpikeStorm;
    ref.advance(800);
    const w = new WorkersBackend(chaosNet, { workers: 2 });
    try {
      await w.run(200);
      const wStorm = (await new ChaosController(w, { seed: 8 }).injectUnknown(spec)) as SpikeStorm;
      await w.run(800);
      assert.deepEqual(wStorm.targets, refStorm.targets);
      assert.equal(wStorm.eventsInjected, refStorm.eventsInjected);
      assert.ok(refStorm.eventsInjected > 0);
      assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash());
    } finally {
      await w.dispose();
    }
  });

  it('adds mV straight to the membrane of non-refractory targets', async () => {
    const sim = reference();
    const chaos = new ChaosController(sim);
    sim.buffer('membraneMv').fill(-70);
    await chaos.inject({ kind: 'spike-storm', target: { neurons: [0] }, rateHz: 10000, train: 'regular', amplitude: 2, unit: 'mV', durationMs: 0.1 });
    const before = sim.buffer('membraneMv')[0];
    sim.advance(1);
    assert.ok(sim.buffer('membraneMv')[0] - before > 1.9, 'the 2 mV jump is in the membrane');
  });
});
