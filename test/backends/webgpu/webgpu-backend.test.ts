import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SimulationBackend, SimulationOptions } from '../../../src/backends/backend.js';
import { createBackend, prepareBackend } from '../../../src/backends/create-backend.js';
import { explainDawnFailure, acquireDevice } from '../../../src/backends/webgpu/device-provider.js';
import { WebGpuBackend } from '../../../src/backends/webgpu/webgpu-backend.js';
import { ChaosController } from '../../../src/chaos/chaos-controller.js';
import { buildNetwork } from '../../../src/model/builder.js';
import type { Network } from '../../../src/model/network.js';
import { rateNetwork, tinyNetwork } from '../../conformance/networks.js';
import { smallNetworkSpec } from '../../helpers/networks.js';
import { deviceOrSkip, IS_DENO } from './device.js';

async function webgpu(network: Network, options: SimulationOptions): Promise<WebGpuBackend> {
  const choice = await prepareBackend({ ...options, backend: 'webgpu' });
  return createBackend(network, choice).backend as WebGpuBackend;
}

function cpu(network: Network, options: SimulationOptions): SimulationBackend {
  return createBackend(network, { ...options, backend: 'cpu' }).backend;
}

function firstDifference(a: Int32Array, b: Int32Array): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i += 2) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1]) return `first difference at spike ${i / 2}: reference (step ${a[i]}, neuron ${a[i + 1]}), webgpu (step ${b[i]}, neuron ${b[i + 1]})`;
  }
  return null;
}

function assertSameSpikes(ref: SimulationBackend, got: SimulationBackend): void {
  for (let b = 0; b < ref.batch; b++) assert.equal(firstDifference(ref.recorder.stores[b].toPairs(), got.recorder.stores[b].toPairs()), null, `replica ${b}`);
}

describe('webgpu backend', () => {
  it('steps on the device: 2 dispatches per step, 1 host sync per chunk; reports its adapter', async (t) => {
    if (!(await deviceOrSkip(t))) return;
    const b = await webgpu(tinyNetwork(), { batch: 2, seed: 11 });
    try {
      await b.run(300, { chunkSteps: 100 });
      const g = b.metrics().gpu!;
      assert.equal(g.stepsEncoded, 300);
      assert.ok(g.dispatchesPerStep <= 4, `${g.dispatchesPerStep} dispatches per step`);
      assert.equal(g.dispatchesPerStep, 2);
      assert.equal(g.chunks, 3);
      assert.equal(g.hostSyncsPerChunk, 1);
      assert.ok(g.adapter.provider.length > 0 && typeof g.adapter.software === 'boolean');
      assert.ok(b.recorder.totalSpikes > 100);
    } finally {
      await b.dispose();
    }
  });

  it('a chunk that fills the spike list halts on the device and goes on in the next submission, spike for spike', async (t) => {
    if (!(await deviceOrSkip(t))) return;
    // No refractory period and a strong DC: every neuron fires at every step (200 spikes per step, 3200 fit the list).
    const spec = smallNetworkSpec(100);
    for (const p of spec.populations) p.neuron = { ...p.neuron, refractoryMs: 0, dcPa: 1e6 };
    const net = buildNetwork(spec, { seed: 3 });
    const ref = cpu(net, { batch: 2, seed: 4 });
    const b = await webgpu(net, { batch: 2, seed: 4 });
    try {
      await ref.run(100);
      await b.run(100);
      assert.equal(ref.recorder.totalSpikes, 100 * 200, 'every neuron fired at every step');
      assertSameSpikes(ref, b);
      const g = b.metrics().gpu!;
      assert.ok(g.chunks >= 6, `${g.chunks} submissions for 100 steps of 200 spikes with room for 3200`);
      assert.equal(g.hostSyncsPerChunk, 1);
    } finally {
      await b.dispose();
      await ref.dispose();
    }
  });

  it('rings split by replica and synapses split by index across bindings (the adapter-limit path) give the same spikes', async (t) => {
    const got = await deviceOrSkip(t);
    if (!got) return;
    const net = tinyNetwork();
    const options = { batch: 3, seed: 11 };
    const ref = cpu(net, options);
    const slots = (ref as unknown as { state: { ringSlots: number } }).state.ringSlots;
    // One replica's rings per binding, and about a third of the synapses per binding.
    const b = new WebGpuBackend(net, got, options, { ringBindingBytes: slots * net.neuronCount * 16, synapseBindingBytes: Math.ceil(net.synapseCount / 3) * 4 });
    try {
      assert.equal(b.layout.ringParts, 3);
      assert.equal(b.layout.synParts, 3);
      await ref.run(300);
      await b.run(300);
      assertSameSpikes(ref, b);
      const v = b.buffer('ringExcPa');
      const w = ref.buffer('ringExcPa');
      let worst = 0;
      for (let k = 0; k < v.length; k++) worst = Math.max(worst, Math.abs(v[k] - w[k]));
      assert.ok(worst < 1e-2, `rings read back from 3 parts within ${worst} pA of the reference`);
    } finally {
      await b.dispose();
      await ref.dispose();
    }
  });

  it('rates within 2% (or 3 standard errors) of the reference over 1 s x 4 replicas', async (t) => {
    if (!(await deviceOrSkip(t))) return;
    const net = rateNetwork(100);
    const steps = 10_000;
    const ref = cpu(net, { batch: 4, seed: 5 });
    const b = await webgpu(net, { batch: 4, seed: 5 });
    try {
      await Promise.all([ref.run(steps), b.run(steps)]);
      const durationMs = steps * net.dtMs;
      const want = ref.recorder.populationRatesHz(net, durationMs);
      const got = b.recorder.populationRatesHz(net, durationMs);
      for (const p of net.populations) {
        const count = (want[p.name] * p.size * 4 * durationMs) / 1000;
        const tolerance = Math.max(0.02, 3 / Math.sqrt(count));
        const rel = Math.abs(got[p.name] - want[p.name]) / want[p.name];
        assert.ok(want[p.name] > 5, `${p.name} fires`);
        assert.ok(rel <= tolerance, `${p.name}: ${got[p.name]} Hz vs ${want[p.name]} Hz (${(rel * 100).toFixed(2)}%, tolerance ${(tolerance * 100).toFixed(2)}%)`);
      }
    } finally {
      await b.dispose();
      await ref.dispose();
    }
  });

  it('guards on the device: capped and dropped input and contained neurons counted as on the CPU, same spikes', async (t) => {
    if (!(await deviceOrSkip(t))) return;
    const net = tinyNetwork();
    const options = { batch: 2, seed: 11, guards: { enabled: true } };
    const runs = [cpu(net, options), await webgpu(net, options)];
    try {
      for (const backend of runs) {
        const chaos = new ChaosController(backend, { seed: 7 });
        await chaos.run(10);
        // Input far beyond the cap (1e6 pA a step against 1e5), and NaN weights the guards must drop.
        await chaos.inject({ kind: 'spike-storm', target: { populations: ['E'], percent: 30 }, rateHz: 5000, amplitude: 1e6 });
        await chaos.inject({ kind: 'weight-corruption', source: 'I', fraction: 0.5, mode: 'nan' });
        await chaos.run(60);
        await chaos.stopAll();
        await chaos.run(20);
      }
      const [ref, b] = runs;
      assertSameSpikes(ref, b);
      const want = ref.metrics();
      const got = b.metrics();
      assert.ok(want.inputsCapped > 100, `the reference capped input (${want.inputsCapped})`);
      assert.equal(got.inputsCapped, want.inputsCapped);
      assert.equal(got.nonFiniteContained, want.nonFiniteContained);
    } finally {
      for (const backend of runs) await backend.dispose();
    }
  });

  it('weight corruption is written into the device weight buffer and rolled back bit for bit from the golden copy', async (t) => {
    if (!(await deviceOrSkip(t))) return;
    const net = tinyNetwork();
    const b = await webgpu(net, { batch: 2, seed: 11 });
    try {
      const pristine = (await b.readDeviceWeights(0, net.synapseCount)).slice();
      assert.deepEqual(new Uint32Array(pristine.buffer), new Uint32Array(net.synapses.weightsPa.slice().buffer), 'the device holds the network weights');
      const chaos = new ChaosController(b, { seed: 7 });
      await chaos.run(5);
      const fault = await chaos.inject({ kind: 'weight-corruption', source: 'E', fraction: 0.3, mode: 'sign-flip' });
      await chaos.run(5);
      const corrupted = await b.readDeviceWeights(0, net.synapseCount);
      let flipped = 0;
      for (let k = 0; k < corrupted.length; k++) if (corrupted[k] !== pristine[k]) flipped++;
      assert.ok(flipped > 100, `${flipped} weights changed on the device`);
      for (let k = 0; k < corrupted.length; k++) if (corrupted[k] !== pristine[k]) assert.equal(corrupted[k], -pristine[k]);
      assert.equal(fault.verify().ok, true, fault.verify().evidence);
      await fault.stop();
      await chaos.run(1);
      const restored = await b.readDeviceWeights(0, net.synapseCount);
      assert.deepEqual(new Uint32Array(restored.buffer), new Uint32Array(pristine.buffer), 'rolled back bit for bit');
      assert.equal(fault.verify().ok, true, fault.verify().evidence);
    } finally {
      await b.dispose();
    }
  });

  it('neuron faults act through the device fault table: a dead neuron never fires and sits at reset', async (t) => {
    if (!(await deviceOrSkip(t))) return;
    const net = tinyNetwork();
    const b = await webgpu(net, { batch: 2, seed: 11 });
    try {
      const chaos = new ChaosController(b, { seed: 7 });
      const fault = await chaos.inject({ kind: 'neuron-fault', target: { populations: ['E'], percent: 100, replicas: [1] }, mode: 'dead' });
      await chaos.run(200);
      const v = b.buffer('membraneMv');
      const code = b.buffer('faultCode');
      for (let i = 0; i < 80; i++) {
        assert.equal(code[net.neuronCount + i], 1, 'code read back from the device');
        assert.equal(v[net.neuronCount + i], Math.fround(net.populations[0].neuron.resetMv));
      }
      const pairs = b.recorder.stores[1].toPairs();
      for (let k = 1; k < pairs.length; k += 2) assert.ok(pairs[k] >= 80, `dead neuron ${pairs[k]} fired`);
      assert.ok(b.recorder.stores[0].toPairs().some((x, k) => k % 2 === 1 && x < 80), 'replica 0 is untouched');
      assert.equal(fault.verify().ok, true);
    } finally {
      await b.dispose();
    }
  });
});

describe('webgpu device providers', () => {
  it('a Dawn module that cannot load says why: glibc >= 2.38 and GLIBCXX_3.4.32, and Deno as the way out', () => {
    const msg = explainDawnFailure(new Error("/lib/x86_64-linux-gnu/libstdc++.so.6: version `GLIBCXX_3.4.32' not found (required by .../linux-x64.dawn.node)"));
    assert.match(msg, /glibc >= 2\.38/);
    assert.match(msg, /GLIBCXX_3\.4\.32/);
    assert.match(msg, /deno run -A bin\/neurochaos\.js/);
    assert.match(explainDawnFailure(Object.assign(new Error("Cannot find package 'webgpu' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' })), /not installed/);
  });

  it('in Node without a working Dawn, the backend is unavailable with every provider named', { skip: IS_DENO ? 'Deno has navigator.gpu' : false }, async (t) => {
    try {
      await acquireDevice();
      t.skip('this Node has a working WebGPU (Dawn loads here)');
    } catch (e) {
      const msg = (e as Error).message;
      assert.match(msg, /navigator\.gpu: not offered/);
      assert.match(msg, /webgpu package/);
    }
  });
});
