import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { InputError } from '../../src/util/errors.js';
import { smallNetworkSpec } from '../helpers/networks.js';

const net = buildNetwork(smallNetworkSpec(), { seed: 11 });

describe('ReferenceBackend', () => {
  it('gives the same spikeHash for the same seed and a different one for another seed', async () => {
    const a = new ReferenceBackend(net);
    const b = new ReferenceBackend(net);
    const c = new ReferenceBackend(net, { seed: 12 });
    await a.run(3000);
    await b.run(3000);
    await c.run(3000);
    assert.ok(a.recorder.totalSpikes > 100, 'the network is active');
    assert.equal(a.recorder.spikeHash(), b.recorder.spikeHash());
    assert.notEqual(a.recorder.spikeHash(), c.recorder.spikeHash());
    const rebuilt = new ReferenceBackend(buildNetwork(smallNetworkSpec(), { seed: 12 }));
    await rebuilt.run(3000);
    assert.notEqual(rebuilt.recorder.spikeHash(), a.recorder.spikeHash(), 'connectivity seed matters too');
  });

  it('does not depend on how the run is chunked', async () => {
    const a = new ReferenceBackend(net);
    a.advance(2500);
    const b = new ReferenceBackend(net);
    for (const n of [1, 7, 492, 1000, 1000]) b.advance(n);
    assert.equal(a.recorder.spikeHash(), b.recorder.spikeHash());
    assert.deepEqual(a.buffer('membraneMv'), b.buffer('membraneMv'));
  });

  it('runs B replicas that differ by seed; replica 0 of a batch equals a single run', async () => {
    const batch = new ReferenceBackend(net, { batch: 3, seed: 21 });
    await batch.run(2000);
    const single = new ReferenceBackend(net, { seed: 21 });
    await single.run(2000);
    assert.equal(batch.recorder.replicaHash(0), single.recorder.replicaHash(0));
    assert.notEqual(batch.recorder.replicaHash(0), batch.recorder.replicaHash(1));
    assert.notEqual(batch.recorder.replicaHash(1), batch.recorder.replicaHash(2));
    assert.deepEqual(batch.buffer('membraneMv').subarray(0, net.neuronCount), single.buffer('membraneMv'));
  });

  it('stops at a chunk boundary when aborted, with consistent state, and can go on', async () => {
    const controller = new AbortController();
    const sim = new ReferenceBackend(net);
    const outcome = await sim.run(100000, {
      signal: controller.signal,
      chunkSteps: 50,
      onProgress: (done) => {
        if (done >= 500) controller.abort();
      },
    });
    assert.equal(outcome.interrupted, true);
    assert.equal(outcome.stepsRun, 500);
    assert.equal(sim.currentStep, 500);
    await sim.run(500);
    const ref = new ReferenceBackend(net);
    ref.advance(1000);
    assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
  });

  it('reports metrics and refuses bad options', () => {
    const sim = new ReferenceBackend(net, { batch: 2 });
    sim.advance(100);
    const m = sim.metrics();
    assert.equal(m.steps, 100);
    assert.ok(Math.abs(m.simulatedMs - 10) < 1e-9);
    assert.equal(m.spikes, sim.recorder.totalSpikes);
    assert.ok(m.stateBytes > 0 && m.connectivityBytes > 0);
    assert.throws(() => new ReferenceBackend(net, { batch: 0 }), (e: unknown) => e instanceof InputError && e.field === 'batch');
    assert.throws(() => sim.advance(-1), (e: unknown) => e instanceof InputError && e.field === 'steps');
  });
});
