import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { orderSlicesByDelay } from '../../../src/backends/workers/delay-order.js';
import { WorkersBackend } from '../../../src/backends/workers/workers-backend.js';
import { ChaosController } from '../../../src/chaos/chaos-controller.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { microcircuitSpec } from '../../../src/model/microcircuit.js';
import type { Network, Synapses } from '../../../src/model/network.js';
import { simulate } from '../../../src/simulate.js';
import { InputError, UnsupportedError } from '../../../src/util/errors.js';

const open: { dispose(): Promise<void> }[] = [];
after(async () => {
  await Promise.all(open.map((b) => b.dispose()));
});

/** A small microcircuit: delays spread over tens of steps, multapses in every row. */
const network = (): Network => buildNetwork(microcircuitSpec({ scale: 0.02 }), { seed: 4 });

function copyOf(s: Synapses): Synapses {
  return { rowPtr: s.rowPtr.slice(), targets: s.targets.slice(), weightsPa: s.weightsPa.slice(), delaySteps: s.delaySteps.slice() };
}

describe('orderSlicesByDelay', () => {
  it('sorts every slice by delay, stably, moves whole synapses (weight bits included) and leaves the rest alone', () => {
    const targets = Uint32Array.of(0, 1, 1, 2, 3, 5, 6, 7, 9, 9);
    const delaySteps = Uint8Array.of(3, 1, 3, 1, 2, 4, 1, 4, 2, 1);
    const weightsPa = new Float32Array(10).map((_, i) => i + 0.5);
    const bits = new Uint32Array(weightsPa.buffer);
    bits[3] = 0x7fa00001; // a NaN with a payload, which a float copy could quiet
    const syn: Synapses = { rowPtr: Uint32Array.of(0, 10), targets, weightsPa, delaySteps };
    // Two "shards": [0, 5) and [5, 8) of the row; [8, 10) belongs to no slice.
    orderSlicesByDelay(syn, [Uint32Array.of(0, 5), Uint32Array.of(5, 8)], 4);
    assert.deepEqual([...delaySteps], [1, 1, 2, 3, 3, 1, 4, 4, 2, 1]);
    assert.deepEqual([...targets], [1, 2, 3, 0, 1, 6, 5, 7, 9, 9]);
    // Which synapse went where: original index = the weight's integer part (the NaN was synapse 3).
    const from = [...weightsPa].map((w, k) => (Number.isNaN(w) ? (assert.equal(bits[k], 0x7fa00001), 3) : Math.floor(w)));
    assert.deepEqual(from, [1, 3, 4, 0, 2, 6, 5, 7, 8, 9]);
  });
});

describe("deliveryOrder 'delay' on the workers backend", () => {
  it('gives the same spikes, events and membranes as the cpu backend for 1 to 3 workers, and regroups the synapses it uses', async () => {
    const steps = 600;
    const ref = new ReferenceBackend(network());
    open.push(ref);
    await ref.run(steps);
    assert.ok(ref.recorder.totalSpikes > 100, 'the network fires');
    for (const w of [1, 2, 3]) {
      const net = network();
      const before = copyOf(net.synapses);
      const b = new WorkersBackend(net, { workers: w, deliveryOrder: 'delay' });
      open.push(b);
      assert.equal(b.deliveryOrder, 'delay');
      // The backend uses the network's (shared, not lent) arrays: they are the ones regrouped.
      assert.notDeepEqual(net.synapses.delaySteps, before.delaySteps, `${w} workers: some slice was reordered`);
      assert.deepEqual(net.synapses.rowPtr, before.rowPtr);
      await b.run(steps);
      assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash(), `${w} workers`);
      assert.equal(b.metrics().synapticEvents, ref.metrics().synapticEvents, `${w} workers: events`);
      assert.deepEqual(b.buffer('membraneMv'), ref.buffer('membraneMv'), `${w} workers: membranes`);
      await b.dispose();
    }
  });

  it('regroups its own copy where delivery runs as wasm, leaving the network in target order, with the same spikes', async () => {
    const ref = new ReferenceBackend(network());
    open.push(ref);
    await ref.run(400);
    const net = network();
    const before = copyOf(net.synapses);
    const b = new WorkersBackend(net, { workers: 2, deliveryOrder: 'delay', wasmDelivery: true });
    open.push(b);
    assert.deepEqual(net.synapses.delaySteps, before.delaySteps, 'the network is untouched');
    await b.run(400);
    assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
  });

  it('continues bit for bit from its checkpoint in a backend of target order (cpu, or 2 workers)', async () => {
    const unbroken = new ReferenceBackend(network());
    open.push(unbroken);
    await unbroken.run(500);
    const first = new WorkersBackend(network(), { workers: 2, deliveryOrder: 'delay' });
    open.push(first);
    await first.run(200);
    const cp = first.checkpoint();
    for (const make of [() => new ReferenceBackend(network()), () => new WorkersBackend(network(), { workers: 2 })]) {
      const b = make();
      open.push(b);
      b.restore(cp);
      await b.run(300);
      assert.equal(b.recorder.spikeHash(), unbroken.recorder.spikeHash(), b.name);
    }
  });

  it('refuses index access to its synapses (weight faults, a chaos controller) with an error naming deliveryOrder', async () => {
    const b = new WorkersBackend(network(), { workers: 2, deliveryOrder: 'delay' });
    open.push(b);
    assert.throws(() => b.synapses(), (e: unknown) => e instanceof UnsupportedError && e.field === 'deliveryOrder' && /target/.test(e.message));
    assert.throws(() => new ChaosController(b), (e: unknown) => e instanceof UnsupportedError && e.field === 'deliveryOrder');
    // In target order (the default) they work.
    const t = new WorkersBackend(network(), { workers: 2 });
    open.push(t);
    assert.equal(t.deliveryOrder, 'target');
    assert.ok(t.synapses().weightsPa.length > 0);
  });

  it('refuses an unknown order, and delay order with a scrubber, naming deliveryOrder, with the network untouched', () => {
    const net = network();
    const before = copyOf(net.synapses);
    const bad = (options: object, pattern: RegExp) =>
      assert.throws(() => new WorkersBackend(net, { workers: 2, ...options }), (e: unknown) => e instanceof InputError && e.field === 'deliveryOrder' && pattern.test(e.message));
    bad({ deliveryOrder: 'random' }, /one of target, delay \(got "random"\)/);
    bad({ deliveryOrder: 'delay', scrub: { enabled: true } }, /scrubber/);
    assert.deepEqual(net.synapses.delaySteps, before.delaySteps);
    assert.deepEqual(net.synapses.targets, before.targets);
  });
});

describe('simulate() on workers', () => {
  it('runs in delay order, reports the setup, and gives the cpu backend\'s spikes', async () => {
    const cpu = await simulate({ model: 'microcircuit', scale: 0.02, durationMs: 40, seed: 4, backend: 'cpu' });
    const workers = await simulate({ model: 'microcircuit', scale: 0.02, durationMs: 40, seed: 4, backend: 'workers', workers: 2 });
    assert.equal(workers.deliveryOrder, 'delay');
    assert.equal(cpu.deliveryOrder, undefined);
    assert.equal(workers.spikeHash, cpu.spikeHash);
    assert.ok(workers.spikes > 0);
    assert.ok(Number.isFinite(workers.setupMs) && workers.setupMs > 0);
  });
});
