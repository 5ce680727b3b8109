import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { StepEffects } from '../../../src/backends/backend.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { claimScratch, DELAY_ORDER_MIN_RING_BYTES, longestSlice, REGROUP_PHASE, regroupScratch, regroupSources, repairRegrouping, ringBytes, sliceSorter } from '../../../src/backends/workers/delay-order.js';
import { capabilityOf } from '../../../src/backends/capabilities.js';
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

/**
 * Per row, an order-free digest of its synapses (target, delay, weight bits):
 * equal digests say a row holds the same synapses, in whatever order.
 */
function rowDigests(s: Synapses): number[] {
  const bits = new Uint32Array(s.weightsPa.buffer, s.weightsPa.byteOffset, s.weightsPa.length);
  const out: number[] = [];
  for (let r = 0; r + 1 < s.rowPtr.length; r++) {
    let sum = 0;
    let xor = 0;
    for (let k = s.rowPtr[r]; k < s.rowPtr[r + 1]; k++) {
      const h = Math.imul(s.targets[k] ^ Math.imul(s.delaySteps[k] + 1, 0x9e3779b1) ^ Math.imul(bits[k], 0x85ebca6b), 0xc2b2ae35) >>> 0;
      sum = (sum + h) >>> 0;
      xor = (xor ^ Math.imul(h, 0x27d4eb2d)) >>> 0;
    }
    out.push(sum, xor);
  }
  return out;
}

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
    const sort = sliceSorter(syn, regroupScratch(longestSlice([slices])), 4);
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

  it('claimScratch gives each thread a free scratch of its own, and none once all are held', () => {
    const owners = new Int32Array(new SharedArrayBuffer(12));
    assert.deepEqual([claimScratch(owners, 7), claimScratch(owners, 9), claimScratch(owners, 11), claimScratch(owners, 13)], [0, 1, 2, -1]);
    assert.deepEqual([...owners], [7, 9, 11]);
    Atomics.store(owners, 1, 0); // freed (its thread was lost, its journal mended)
    assert.equal(claimScratch(owners, 15), 1);
  });

  it('repairRegrouping finishes a copy-back a lost thread cut short, and leaves a slice whose sort was cut short as it was', () => {
    const make = (): Synapses => ({ rowPtr: Uint32Array.of(0, 6), targets: Uint32Array.of(1, 2, 3, 4, 5, 6), weightsPa: Float32Array.of(0.5, 1.5, 2.5, 3.5, 4.5, 5.5), delaySteps: Uint8Array.of(3, 1, 2, 1, 3, 2) });
    const sorted = make();
    const scratch = regroupScratch(6);
    sliceSorter(sorted, scratch, 3)(0, 6);
    assert.deepEqual([...sorted.targets], [2, 4, 3, 6, 1, 5]);
    assert.equal(Atomics.load(scratch.journal, 0), REGROUP_PHASE.idle);
    // Torn: the scratch holds the sorted slice, the thread died after copying back 3 of 6 synapses.
    const torn = make();
    torn.targets.set([2, 4, 3]);
    torn.weightsPa.set([1.5, 3.5, 2.5]);
    torn.delaySteps.set([1, 1, 2]);
    scratch.journal.set([REGROUP_PHASE.copying, 0, 6]);
    assert.equal(repairRegrouping(torn, scratch), true);
    assert.deepEqual(torn, sorted);
    assert.equal(Atomics.load(scratch.journal, 0), REGROUP_PHASE.idle);
    // Cut short while sorting: the slice was not written yet; nothing is copied.
    const whole = make();
    scratch.journal.set([REGROUP_PHASE.sorting, 0, 6]);
    assert.equal(repairRegrouping(whole, scratch), false);
    assert.deepEqual(whole, make());
    assert.equal(Atomics.load(scratch.journal, 0), REGROUP_PHASE.idle);
  });
});

describe("deliveryOrder 'delay' on the workers backend", () => {
  for (const [label, options] of [
    ['float64', {}],
    ['float32, 2 replicas, guards on', { precision: 'float32', batch: 2, guards: { enabled: true } }],
  ] as const) {
  it(`${label}: the same spikes, events and membranes as the cpu backend for 1 to 4 workers, and regroups the synapses it uses`, async () => {
    const steps = 600;
    const ref = new ReferenceBackend(network(), options);
    open.push(ref);
    await ref.run(steps);
    assert.ok(ref.recorder.totalSpikes > 100, 'the network fires');
    for (const w of [1, 2, 3, 4]) {
      const net = network();
      const before = copyOf(net.synapses);
      const b = new WorkersBackend(net, { ...options, workers: w, deliveryOrder: 'delay' });
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
      assert.equal(rowDigests(net.synapses).join(), rowDigests(before).join(), `${w} workers: every row holds its synapses`);
      await b.dispose();
    }
  });
  }

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
    const copy = (b as unknown as { shared: { synapses: Synapses } }).shared.synapses;
    assert.notDeepEqual(copy.delaySteps, before.delaySteps, 'the copy in the wasm memory was regrouped');
    assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
    // The network was not regrouped: other backends may still be built over it.
    open.push(new ReferenceBackend(net));
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

  it('survives worker threads terminated while it regroups: every row keeps its synapses, and the spikes are an unbroken run\'s', async () => {
    const steps = 3000;
    const ref = new ReferenceBackend(network());
    open.push(ref);
    await ref.run(steps);
    const net = network();
    const pristine = rowDigests(net.synapses).join();
    const b = new WorkersBackend(net, { workers: 2, deliveryOrder: 'delay', checkpointEverySteps: 100 });
    open.push(b);
    let lost = 0;
    b.on('worker-lost', () => lost++);
    const sup = capabilityOf(b, 'shard-supervision')!;
    // Kills early in the run, while most sources are still being regrouped, on both shards in turn. A kill counts once
    // it found the shard's thread (none before the pool has started it, which on a loaded machine takes a while).
    let kills = 0;
    let pending = false;
    const killer = setInterval(() => {
      if (kills >= 3 || pending) return;
      pending = true;
      void sup.terminateShardThread(kills % 2).then((killed) => {
        if (killed) kills++;
        pending = false;
      });
    }, 10);
    await b.run(steps);
    clearInterval(killer);
    assert.ok(lost >= 1, 'a worker was lost');
    assert.equal(rowDigests(net.synapses).join(), pristine);
    assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
  });

  it('marks the network it regroups in place: no backend is built over it afterwards (its rows are not sorted by target)', async () => {
    const net = network();
    const b = new WorkersBackend(net, { workers: 2, deliveryOrder: 'delay' });
    open.push(b);
    await b.run(200);
    for (const make of [() => new ReferenceBackend(net), () => new WorkersBackend(net, { workers: 3 }), () => new WorkersBackend(net, { workers: 2, deliveryOrder: 'delay' })]) {
      assert.throws(make, (e: unknown) => e instanceof InputError && e.field === 'network' && /build the network again/.test(e.message));
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
