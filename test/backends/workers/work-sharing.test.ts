import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { availableParallelism } from 'node:os';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../../src/backends/workers/workers-backend.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { microcircuitSpec } from '../../../src/model/microcircuit.js';
import { smallNetworkSpec } from '../../helpers/networks.js';

const open: WorkersBackend[] = [];
after(async () => {
  await Promise.all(open.map((w) => w.dispose()));
});
function workers(...args: ConstructorParameters<typeof WorkersBackend>) {
  const w = new WorkersBackend(...args);
  open.push(w);
  return w;
}

describe('WorkersBackend work sharing and chunk sessions', () => {
  it('more shards than cores (threads run each other\'s tasks): the reference spikes, membranes and events', async () => {
    const net = buildNetwork(smallNetworkSpec(600), { seed: 11 });
    const ref = new ReferenceBackend(net, { batch: 2 });
    await ref.run(2500);
    const shards = Math.max(4, 2 * availableParallelism());
    const b = workers(net, { workers: shards, batch: 2 });
    await b.run(2500);
    assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
    assert.equal(b.metrics().synapticEvents, ref.metrics().synapticEvents);
    assert.deepEqual(b.buffer('membraneMv'), ref.buffer('membraneMv'));
    await ref.dispose();
  });

  it('guards on, several runs (a session each), a checkpoint restored into a fresh backend: the reference throughout', async () => {
    const net = buildNetwork(microcircuitSpec({ scale: 0.02, kScale: 0.2 }), { seed: 12 });
    const ref = new ReferenceBackend(net, { guards: { enabled: true } });
    await ref.run(1800);
    const a = workers(net, { workers: 2, guards: { enabled: true } });
    await a.run(700);
    await a.run({ steps: 200 });
    const cp = a.checkpoint();
    await a.run(900);
    assert.equal(a.recorder.spikeHash(), ref.recorder.spikeHash());
    const b = workers(net, { workers: 3, guards: { enabled: true } });
    b.restore(cp);
    await b.run(900);
    assert.deepEqual(b.buffer('membraneMv'), ref.buffer('membraneMv'));
    assert.deepEqual(b.buffer('ringExcPa'), ref.buffer('ringExcPa'));
    assert.equal(b.metrics().synapticEvents, ref.metrics().synapticEvents);
    await ref.dispose();
  });

  it('a progress interval of the caller\'s is kept (chunks end there), and an aborted run stops at a chunk boundary with the state consistent', async () => {
    const net = buildNetwork(smallNetworkSpec(), { seed: 13 });
    const b = workers(net, { workers: 2 });
    const seen: number[] = [];
    await b.run(450, { chunkSteps: 150, onProgress: (done) => seen.push(done) });
    assert.deepEqual(seen, [150, 300, 450]);
    const ac = new AbortController();
    const out = await b.run(5000, { chunkSteps: 100, signal: ac.signal, onProgress: (done) => done >= 300 && ac.abort() });
    assert.ok(out.interrupted);
    assert.equal(out.stepsRun, 300);
    const ref = new ReferenceBackend(net);
    await ref.run(750);
    assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
    await ref.dispose();
  });
});
