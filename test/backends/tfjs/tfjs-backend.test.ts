import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { TfjsBackend } from '../../../src/backends/tfjs/tfjs-backend.js';
import { loadTfjs, type TfjsRuntime } from '../../../src/backends/tfjs/tfjs-runtime.js';
import { ChaosController } from '../../../src/chaos/chaos-controller.js';
import type { SpikeStorm } from '../../../src/chaos/spike-storm.js';
import { Allocator, AllocationError } from '../../../src/memory/allocator.js';
import { InputError } from '../../../src/util/errors.js';
import { tinyNetwork } from '../../conformance/networks.js';
import { spikesOf } from '../../chaos/helpers.js';

const net = tinyNetwork();
let rt: TfjsRuntime;
before(async () => {
  rt = await loadTfjs('tfjs-cpu');
});

describe('tfjs backend', () => {
  it('leaks nothing: tensors and bytes are the same after every step', async () => {
    const sim = new TfjsBackend(net, rt, { batch: 2, guards: { enabled: true } });
    try {
      await sim.run(3);
      const m0 = rt.tf.memory();
      for (let s = 0; s < 20; s++) {
        await sim.run(1);
        const m = rt.tf.memory();
        assert.equal(m.numTensors, m0.numTensors, `tensors after step ${sim.currentStep}`);
        assert.equal(m.numBytes, m0.numBytes, `bytes after step ${sim.currentStep}`);
      }
      // Handing buffers out and writing them back (the chaos path) leaks nothing either.
      (sim.buffer('membraneMv') as Float32Array)[0] = -70;
      sim.synapses().weightsPa[0] *= 2;
      await sim.run(5);
      assert.equal(rt.tf.memory().numTensors, m0.numTensors);
      assert.equal(rt.tf.memory().numBytes, m0.numBytes);
    } finally {
      await sim.dispose();
    }
  });

  it('guards cap the whole input of a step, fused drive included, as the reference does', async () => {
    const guards = { enabled: true, saturationPa: 5000 };
    const ref = new ReferenceBackend(net, { guards });
    const sim = new TfjsBackend(net, rt, { guards });
    try {
      for (const b of [ref, sim]) await new ChaosController(b).inject({ kind: 'spike-storm', target: { neurons: [0, 1, 2] }, rateHz: 10000, train: 'regular', amplitude: 1e6 });
      await ref.run(60);
      await sim.run(60);
      const a = ref.buffer('currentExcPa');
      const b = sim.buffer('currentExcPa') as Float32Array;
      for (const i of [0, 1, 2]) assert.ok(Math.abs(a[i] - b[i]) <= 1e-4 * Math.abs(a[i]), `neuron ${i}: reference ${a[i]} pA, tfjs ${b[i]} pA`);
      assert.equal(sim.metrics().inputsCapped, ref.metrics().inputsCapped);
    } finally {
      await sim.dispose();
    }
  });

  it('takes its device bytes from the allocator, reports them, and gives them back', async () => {
    const allocator = new Allocator(1e9);
    const sim = new TfjsBackend(net, rt, { allocator });
    const held = allocator.stats().inUseBytes;
    const m = sim.metrics();
    assert.ok(m.device && m.device.flavour === 'tfjs-cpu');
    assert.ok(m.device.bytes > m.stateBytes, 'device bytes cover state and connectivity');
    assert.ok(held >= m.device.bytes, 'the device bytes come out of the budget');
    await sim.dispose();
    assert.equal(allocator.stats().inUseBytes, 0);
    assert.throws(() => new TfjsBackend(net, rt, { allocator: new Allocator(1000) }), (e: unknown) => e instanceof AllocationError);
  });

  it('restores a checkpoint taken on the reference and continues with the same spikes', async () => {
    const ref = new ReferenceBackend(net, { seed: 4 });
    ref.advance(100);
    const cp = ref.checkpoint();
    ref.advance(200);
    const sim = new TfjsBackend(net, rt, { seed: 4 });
    try {
      sim.restore(cp);
      await sim.run(200);
      assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
    } finally {
      await sim.dispose();
    }
  });
});

describe('chaos on the tfjs backend', () => {
  it('spike-storm: the same storm lands as on the reference (same events, same spikes)', async () => {
    const spec = { kind: 'spike-storm', id: 'storm', target: { populations: ['E'], percent: 20 }, rateHz: 5000, amplitude: 300, durationMs: 20 };
    const ref = new ReferenceBackend(net);
    ref.advance(100);
    const refStorm = (await new ChaosController(ref, { seed: 8 }).injectUnknown(spec)) as SpikeStorm;
    ref.advance(300);
    const sim = new TfjsBackend(net, rt);
    try {
      await sim.run(100);
      const storm = (await new ChaosController(sim, { seed: 8 }).injectUnknown(spec)) as SpikeStorm;
      await sim.run(300);
      assert.ok(storm.eventsInjected > 0);
      assert.equal(storm.eventsInjected, refStorm.eventsInjected);
      assert.ok(storm.verify().ok, storm.verify().evidence);
      assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
      assert.ok(spikesOf(sim, storm.targets.neurons!, 100, 300) > spikesOf(sim, storm.targets.neurons!, 300, 400));
    } finally {
      await sim.dispose();
    }
  });

  it('weight-corruption: corrupted weights reach the device (same spikes as the reference under the same fault) and are undone bit for bit', async () => {
    // Each backend gets its own build: the network's weights are the live, shared connectivity.
    const spec = { kind: 'weight-corruption', source: 'I', target: 'E', fraction: 1, mode: 'stuck-at-zero' };
    const ref = new ReferenceBackend(tinyNetwork());
    ref.advance(50);
    await new ChaosController(ref, { seed: 2 }).injectUnknown(spec);
    ref.advance(300);
    const clean = new ReferenceBackend(tinyNetwork());
    clean.advance(350);
    const sim = new TfjsBackend(tinyNetwork(), rt);
    try {
      const before = sim.synapses().weightsPa.slice();
      await sim.run(50);
      const chaos = new ChaosController(sim, { seed: 2 });
      const rot = await chaos.injectUnknown(spec);
      await sim.run(300);
      assert.ok(rot.verify().ok, rot.verify().evidence);
      assert.notEqual(ref.recorder.spikeHash(), clean.recorder.spikeHash(), 'the fault changes the spikes');
      assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash(), 'the device ran with the corrupted weights');
      await chaos.stopAll();
      assert.deepEqual(sim.synapses().weightsPa, before);
      assert.ok(rot.verify().ok);
    } finally {
      await sim.dispose();
    }
  });

  it('neuron-fault: dead neurons stop firing on the device, and fire again after stop', async () => {
    const sim = new TfjsBackend(net, rt);
    try {
      await sim.run(100);
      const chaos = new ChaosController(sim, { seed: 6 });
      const f = await chaos.inject({ kind: 'neuron-fault', target: { populations: ['E'], percent: 25 }, mode: 'dead' });
      const targets = f.targets.neurons!;
      await chaos.run(300);
      assert.equal(spikesOf(sim, targets, 101, 400), 0, 'dead neurons are silent');
      assert.ok(f.verify().ok, f.verify().evidence);
      await chaos.stopAll();
      await sim.run(300);
      assert.ok(spikesOf(sim, targets, 400, 700) > 0, 'they fire again');
    } finally {
      await sim.dispose();
    }
  });

  it('partition: refused with the fault kind named, and the controller stays usable', async () => {
    const sim = new TfjsBackend(net, rt);
    try {
      const chaos = new ChaosController(sim, { seed: 1 });
      await assert.rejects(chaos.inject({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, durationMs: 5 }), (e: unknown) => e instanceof InputError && /partition is not supported on the tfjs backend/.test(e.message));
      await chaos.inject({ kind: 'spike-storm', rateHz: 1000, amplitude: 10, durationMs: 1 });
      await sim.run(20);
    } finally {
      await sim.dispose();
    }
  });
});
