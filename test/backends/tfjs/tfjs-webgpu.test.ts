import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKENDS } from '../../../src/backends/registered-backends.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { TfjsBackend } from '../../../src/backends/tfjs/tfjs-backend.js';
import { loadTfjs, TFJS_FLAVOURS } from '../../../src/backends/tfjs/tfjs-runtime.js';
import { takeDeviceErrors, webGpuDevice } from '../../../src/backends/tfjs/webgpu-device.js';
import { UnsupportedError } from '../../../src/util/errors.js';
import { tinyNetwork } from '../../conformance/networks.js';
import { WEBGPU_REQUIRED } from '../webgpu/device.js';

/**
 * The tfjs-webgpu flavour on a real WebGPU device: under Deno (navigator.gpu,
 * lavapipe here: `npx deno test -A --filter tfjs-webgpu dist/test/backends/tfjs/`),
 * in Node where the webgpu package's Dawn module loads. Where no device is
 * found the tests skip with the reason, and under Deno fail instead when
 * NEUROCHAOS_REQUIRE_WEBGPU=1 (CI: scripts/test-webgpu.mjs).
 */
const net = tinyNetwork();
const here = await BACKENDS.get('tfjs-webgpu').isAvailable();
// Required under Deno only (CI sets NEUROCHAOS_REQUIRE_WEBGPU=1 for the whole of npm test; Node's part has no device on this machine kind).
const skip = here.available || WEBGPU_REQUIRED ? false : `no WebGPU device here: ${here.reason}`;

describe('tfjs-webgpu flavour', { skip }, () => {
  it('is registered between tfjs-node-gpu and tfjs-node, and loads on the WebGPU device with awaited reads', async () => {
    assert.deepEqual([...TFJS_FLAVOURS], ['tfjs-node-gpu', 'tfjs-webgpu', 'tfjs-node', 'tfjs-cpu']);
    assert.ok(here.available, here.reason);
    const rt = await loadTfjs('tfjs-webgpu');
    assert.equal(rt.tfBackend, 'webgpu');
    assert.equal(rt.syncReads, false, 'tfjs-backend-webgpu has no synchronous read outside a browser');
    assert.ok(rt.adapter, 'the adapter is reported');
    assert.match(rt.reason, /(software|hardware) adapter/);
    const dev = await webGpuDevice();
    assert.equal(rt.maxTensorBytes, dev.device.limits.maxStorageBufferBindingSize);
    assert.ok(rt.maxTensorBytes >= 2 ** 27, 'at least WebGPU\'s default 128 MiB binding');
  });

  it('reads the device once per chunk and once more for the state at the end of run(); spikes and state match the reference', async () => {
    const rt = await loadTfjs('tfjs-webgpu');
    const ref = new ReferenceBackend(net, { batch: 2, seed: 5 });
    const sim = new TfjsBackend(net, rt, { batch: 2, seed: 5 });
    try {
      ref.advance(300);
      await sim.run(300, { chunkSteps: 100 });
      const reads = sim.deviceReads;
      assert.ok(reads.chunks >= 3, `at least one chunk per 100 steps (got ${reads.chunks})`);
      assert.equal(reads.hostSyncs, reads.chunks + 1, 'one wait per chunk, one for the state');
      assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
      const a = ref.buffer('membraneMv');
      const b = sim.buffer('membraneMv') as Float32Array;
      for (let i = 0; i < a.length; i++) assert.ok(Math.abs(a[i] - b[i]) <= 1e-3, `membrane ${i}: reference ${a[i]} mV, tfjs-webgpu ${b[i]} mV`);
    } finally {
      await sim.dispose();
    }
  });

  it('uploads host writes: a membrane pushed above threshold between runs spikes in the next step', async () => {
    const rt = await loadTfjs('tfjs-webgpu');
    const sim = new TfjsBackend(net, rt, { batch: 1, seed: 3 });
    try {
      await sim.run(20);
      const before = sim.recorder.totalSpikes;
      const v = sim.buffer('membraneMv') as Float32Array;
      const refractory = sim.buffer('refractorySteps') as Int32Array;
      const quiet = refractory.findIndex((r) => r === 0);
      v[quiet] = 1000;
      await sim.run(1);
      const pairs = sim.recorder.stores[0].toPairs();
      const last: number[] = [];
      for (let k = 0; k < pairs.length; k += 2) if (pairs[k] === 20) last.push(pairs[k + 1]);
      assert.ok(sim.recorder.totalSpikes > before);
      assert.ok(last.includes(quiet), `neuron ${quiet} spiked at step 20 (spikes then: ${last.join(', ')})`);
    } finally {
      await sim.dispose();
    }
  });

  it('runs beside tfjs-cpu in one process: each simulation switches the tfjs engine to its own backend', async () => {
    const gpu = await loadTfjs('tfjs-webgpu');
    const cpu = await loadTfjs('tfjs-cpu');
    const a = new TfjsBackend(net, gpu, { seed: 9 });
    const b = new TfjsBackend(net, cpu, { seed: 9 });
    const ref = new ReferenceBackend(net, { seed: 9 });
    try {
      for (let k = 0; k < 4; k++) {
        await a.run(50);
        await b.run(50);
      }
      ref.advance(200);
      assert.equal(a.recorder.spikeHash(), ref.recorder.spikeHash());
      assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
    } finally {
      await a.dispose();
      await b.dispose();
    }
    assert.equal(cpu.tf.getBackend(), 'cpu', 'the last simulation to run left its backend active');
  });

  it('leaks nothing on the device across runs and host writes', async () => {
    const rt = await loadTfjs('tfjs-webgpu');
    const sim = new TfjsBackend(net, rt, { batch: 2, guards: { enabled: true } });
    try {
      await sim.run(3);
      const m0 = rt.tf.memory();
      for (let s = 0; s < 5; s++) await sim.run(7);
      (sim.buffer('membraneMv') as Float32Array)[0] = -70;
      sim.synapses().weightsPa[0] *= 2;
      await sim.run(5);
      assert.equal(rt.tf.memory().numTensors, m0.numTensors);
      assert.equal(rt.tf.memory().numBytes, m0.numBytes);
      assert.equal(typeof sim.metrics().nonFiniteContained, 'number', 'guard counters are read with the state');
    } finally {
      await sim.dispose();
    }
  });

  it('refuses a simulation whose [batch, padded entries] tensors exceed the device\'s storage binding, naming batch', async () => {
    const rt = await loadTfjs('tfjs-webgpu');
    const entries = new TfjsBackend(net, rt, { batch: 1 });
    const padded = entries.layout.paddedEntries;
    await entries.dispose();
    const small = { ...rt, maxTensorBytes: padded * 4 * 2 };
    const ok = new TfjsBackend(net, small, { batch: 2 });
    await ok.dispose();
    assert.throws(() => new TfjsBackend(net, small, { batch: 3 }), (e: unknown) => e instanceof UnsupportedError && e.field === 'batch' && /storage binding/.test(e.message));
  });

  it('fails the chunk in which the device reported an error, rather than recording what it computed', async () => {
    const rt = await loadTfjs('tfjs-webgpu');
    const dev = (await webGpuDevice()).device;
    const sim = new TfjsBackend(net, rt, { batch: 1 });
    try {
      await sim.run(5);
      takeDeviceErrors();
      // An invalid buffer (no usage) is an uncaptured validation error on the shared device.
      dev.createBuffer({ size: 16, usage: 0 });
      await assert.rejects(sim.run(5), /reported 1 error/);
      assert.deepEqual(takeDeviceErrors(), [], 'the error was taken by the failing chunk');
      await sim.run(5);
    } finally {
      await sim.dispose();
    }
  });
});
