import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { StepEffects } from '../../../src/backends/backend.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { DELAY_ORDER_MIN_RING_BYTES, longestSlice, regroupSources, ringBytes, sliceSorter } from '../../../src/backends/workers/delay-order.js';
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

describe('sliceSorter and regroupSources', () => {
  it('sort each slice of a spiking source by delay, stably, once, moving whole synapses (weight bits included) and nothing else', () => {
    const targets = Uint32Array.of(0, 1, 1, 2, 3, 5, 6, 7, 9, 9, 4, 2, 0);
    const delaySteps = Uint8Array.of(3, 1, 3, 1, 2, 4, 1, 4, 2, 1, 2, 1, 3);
    const weightsPa = new Float32Array(13).map((_, i) => i + 0.5);
    const bits = new Uint32Array(weightsPa.buffer);
    bits[3] = 0x7fa00001; // a NaN with a payload, which a float copy could quiet
    const syn: Synapses = { rowPtr: Uint32Array.of(0, 10, 13), targets, weightsPa, delaySteps };
    // One shard's slices, 2 ranges per source: source 0 -> [0, 5) and [5, 8) ([8, 10) is another shard's); source 1 -> [10, 13) and [13, 13).
    const slices = Uint32Array.of(0, 5, 5, 8, 10, 13, 13, 13);
    const sort = sliceSorter(syn, longestSlice([slices]), 4);
    const pending = Uint8Array.of(1, 1);
    regroupSources(sort, pending, slices, 2, Int32Array.of(7, 0, 0), 1, 3);
    assert.deepEqual([...pending], [0, 1], 'source 0 done, source 1 (no spike) left');
    assert.deepEqual([...delaySteps], [1, 1, 2, 3, 3, 1, 4, 4, 2, 1, 2, 1, 3]);
    assert.deepEqual([...targets], [1, 2, 3, 0, 1, 6, 5, 7, 9, 9, 4, 2, 0]);
    // Which synapse went where: original index = the weight's integer part (the NaN was synapse 3).
    const from = () => [...weightsPa].map((w, k) => (Number.isNaN(w) ? (assert.equal(bits[k], 0x7fa00001), 3) : Math.floor(w)));
    assert.deepEqual(from(), [1, 3, 4, 0, 2, 6, 5, 7, 8, 9, 10, 11, 12]);
    // A source already done is not sorted again (its slices stay as they are); source 1's turn.
    delaySteps[0] = 9;
    regroupSources(sort, pending, slices, 2, Int32Array.of(0, 1), 0, 2);
    assert.equal(delaySteps[0], 9);
    delaySteps[0] = 1;
    assert.deepEqual([...pending], [0, 0]);
    assert.deepEqual(from().slice(10), [11, 10, 12]);
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
      assert.deepEqual(net.synapses.delaySteps, before.delaySteps, 'nothing regrouped before a spike');
      await b.run(steps);
      // The backend uses the network's (shared, not lent) arrays: they are the ones regrouped, as sources spiked.
      assert.notDeepEqual(net.synapses.delaySteps, before.delaySteps, `${w} workers: some slice was reordered`);
      assert.deepEqual(net.synapses.rowPtr, before.rowPtr);
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
    await b.run(400);
    assert.deepEqual(net.synapses.delaySteps, before.delaySteps, 'the network is untouched');
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

  it('refuses index access to its synapses (weight faults, a chaos controller) and partitions with an error naming deliveryOrder', async () => {
    const b = new WorkersBackend(network(), { workers: 2, deliveryOrder: 'delay' });
    open.push(b);
    assert.throws(() => b.synapses(), (e: unknown) => e instanceof UnsupportedError && e.field === 'deliveryOrder' && /target/.test(e.message));
    assert.throws(() => new ChaosController(b), (e: unknown) => e instanceof UnsupportedError && e.field === 'deliveryOrder');
    // Partitioned delivery searches rows sorted by target: refused too; effects without one are taken.
    const partition = {} as StepEffects['partitions'][number];
    assert.throws(() => b.setStepEffects({ storms: [], partitions: [partition] }), (e: unknown) => e instanceof UnsupportedError && e.field === 'deliveryOrder');
    b.setStepEffects({ storms: [], partitions: [] });
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
  it('keeps target order while the rings fit the caches, and regroups by delay from DELAY_ORDER_MIN_RING_BYTES, with the cpu backend\'s spikes either way', async () => {
    const common = { model: 'microcircuit', scale: 0.02, durationMs: 30, seed: 4 } as const;
    const small = buildNetwork(microcircuitSpec({ scale: 0.02 }), { seed: 4 });
    assert.ok(ringBytes(small, 1) < DELAY_ORDER_MIN_RING_BYTES);
    // Replicas multiply the rings (the synapses are shared): enough of them cross the threshold.
    const batch = Math.ceil(DELAY_ORDER_MIN_RING_BYTES / ringBytes(small, 1));
    assert.ok(ringBytes(small, batch) >= DELAY_ORDER_MIN_RING_BYTES && ringBytes(small, batch - 1) < DELAY_ORDER_MIN_RING_BYTES);
    for (const [b, order] of [[1, 'target'], [batch, 'delay']] as const) {
      const cpu = await simulate({ ...common, batch: b, backend: 'cpu' });
      const workers = await simulate({ ...common, batch: b, backend: 'workers', workers: 2 });
      assert.equal(workers.deliveryOrder, order, `batch ${b}`);
      assert.equal(cpu.deliveryOrder, undefined);
      assert.equal(workers.spikeHash, cpu.spikeHash, `batch ${b}`);
      assert.ok(workers.spikes > 0);
      assert.ok(Number.isFinite(workers.setupMs) && workers.setupMs > 0);
    }
    // Asked for, it is honoured whatever the size; so is target order on a large batch.
    assert.equal((await simulate({ ...common, backend: 'workers', workers: 2, deliveryOrder: 'delay' })).deliveryOrder, 'delay');
    assert.equal((await simulate({ ...common, batch, backend: 'workers', workers: 2, deliveryOrder: 'target' })).deliveryOrder, 'target');
  });
});
