import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { AllocationError, Allocator, type Degradation } from '../../src/memory/allocator.js';
import { buildNetwork } from '../../src/model/builder.js';
import { CHUNK_PAIRS } from '../../src/record/spike-store.js';
import { StreamRng } from '../../src/util/rng.js';
import { smallNetworkSpec } from '../helpers/networks.js';
import { supervision } from '../helpers/shard-supervision.js';

const net = buildNetwork(smallNetworkSpec(300), { seed: 3 });

/** An allocator whose budget leaves `freeBytes` once the backend's state is in. */
function tightAllocator(freeBytes: number): Allocator {
  const probe = new Allocator();
  const b = new ReferenceBackend(net, { allocator: probe });
  const stateBytes = probe.stats().inUseBytes - probe.inUseFor('spike record');
  void b.dispose();
  return new Allocator(stateBytes + freeBytes);
}

describe('graceful degradation under allocator pressure', () => {
  it('the spike record takes smaller chunks when a full one is refused, says so, and loses nothing', async () => {
    const allocator = tightAllocator(CHUNK_PAIRS * 8 - 1); // not enough for one full chunk
    const events: Degradation[] = [];
    allocator.on('degraded', (d) => events.push(d));
    const b = new ReferenceBackend(net, { allocator });
    await b.run(2000);
    const ref = new ReferenceBackend(net);
    await ref.run(2000);
    assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
    assert.equal(events.length, 1);
    assert.equal(events[0].component, 'spike recorder');
    assert.match(events[0].gaveUp, /record chunks reduced from 65536 to \d+ spikes/);
  });

  it('without the defence the same refusal stops the run with the allocator error', async () => {
    const allocator = tightAllocator(CHUNK_PAIRS * 8 - 1);
    assert.throws(() => new ReferenceBackend(net, { allocator, degrade: false }), AllocationError);
  });

  it('when nothing can be had at all, the run stops with a clear error instead of dropping spikes', async () => {
    const allocator = tightAllocator(CHUNK_PAIRS * 8 + 1000);
    const b = new ReferenceBackend(net, { allocator }); // takes its first full chunk; the next one cannot be had
    await assert.rejects(b.run(100_000), /the spike record cannot grow.*no spike goes unrecorded/);
    assert.ok(b.recorder.totalSpikes >= CHUNK_PAIRS, 'everything up to the stop is recorded');
  });

  it('worker supervision runs on without a restart point when its memory is refused, and says what it gave up', async () => {
    const allocator = new Allocator();
    const events: Degradation[] = [];
    allocator.on('degraded', (d) => events.push(d));
    const b = new WorkersBackend(net, { workers: 2, allocator });
    try {
      allocator.setPressure({ failureRate: 1, rng: new StreamRng('x') });
      await b.run(300);
      assert.ok(events.some((d) => d.component === 'worker supervision' && /restart point/.test(d.gaveUp)), JSON.stringify(events));
      // A worker lost now cannot be recovered: the run stops with an error that says why.
      supervision(b).injectFailure(0, 350, 'throw');
      await assert.rejects(b.run(200), /no restart point/);
    } finally {
      allocator.setPressure(null);
      await b.dispose();
    }
  });

  it('without the defence, the refused restart point stops the workers backend at once', async () => {
    const allocator = new Allocator();
    const b = new WorkersBackend(net, { workers: 2, allocator, degrade: false });
    try {
      allocator.setPressure({ failureRate: 1, rng: new StreamRng('x') });
      await assert.rejects(b.run(300), AllocationError);
      assert.equal(b.currentStep, 0, 'refused before anything ran: nothing half-done');
    } finally {
      allocator.setPressure(null);
      await b.dispose();
    }
  });

  it('a restore that cannot have the memory for its record throws and leaves the backend as it was, leaking nothing (fuzz seed 7)', async () => {
    const allocator = new Allocator();
    const b = new ReferenceBackend(net, { allocator });
    await b.run(200);
    const cp = b.checkpoint();
    await b.run(300);
    const before = b.checkpoint();
    const hash = b.recorder.spikeHash();
    const inUse = allocator.stats().inUseBytes;
    allocator.setPressure({ failureRate: 1, rng: new StreamRng('restore') }); // every further allocation is refused
    assert.throws(() => b.restore(cp), AllocationError);
    assert.equal(b.currentStep, 500);
    assert.equal(b.recorder.spikeHash(), hash);
    assert.deepEqual(b.checkpoint().membraneMv, before.membraneMv);
    assert.equal(allocator.stats().inUseBytes, inUse, 'the chunks taken before the refusal were given back');
  });
});
