import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { capabilityOf, requireCapability } from '../../src/backends/capabilities.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { InputError, UnsupportedError } from '../../src/util/errors.js';
import { chaosNet, reference } from '../chaos/helpers.js';

const pools: WorkersBackend[] = [];
after(async () => {
  await Promise.all(pools.map((p) => p.dispose()));
});

describe('backend capabilities', () => {
  it('the workers backend offers its shard layout and supervision; the reference offers neither', () => {
    const w = new WorkersBackend(chaosNet, { workers: 2 });
    pools.push(w);
    const layout = capabilityOf(w, 'shard-layout');
    const sup = capabilityOf(w, 'shard-supervision');
    assert.ok(layout && sup);
    assert.equal(layout.workers, 2);
    assert.equal(sup.workers, 2);
    // The shards cover every neuron exactly once.
    let covered = 0;
    for (const s of layout.shards) for (const r of s.ranges) covered += r.hi - r.lo;
    assert.equal(covered, chaosNet.neuronCount);
    assert.equal(sup.restartCount, 0);
    assert.equal(sup.currentStep, 0);
    assert.equal(capabilityOf(reference(), 'shard-layout'), null);
    assert.equal(capabilityOf(reference(), 'shard-supervision'), null);
  });

  it('the failure hooks are all on the capability', () => {
    const w = new WorkersBackend(chaosNet, { workers: 1 });
    pools.push(w);
    const sup = capabilityOf(w, 'shard-supervision') as unknown as Record<string, unknown>;
    for (const hook of ['injectFailure', 'cancelFailures', 'releaseStall', 'stallsServed', 'isStalled', 'terminateShardThread', 'onSupervision']) assert.equal(typeof sup[hook], 'function', hook);
  });

  it('an injected failure through the capability is recovered by the supervisor, which reports it to its subscribers', async () => {
    const w = new WorkersBackend(chaosNet, { workers: 2, checkpointEverySteps: 50 });
    pools.push(w);
    const sup = capabilityOf(w, 'shard-supervision')!;
    const lost: number[] = [];
    sup.onSupervision('worker-lost', (e) => lost.push(e.shard));
    sup.injectFailure(1, 120, 'throw');
    assert.equal(sup.cancelFailures(1, 200), 0, 'a failure before the step is kept');
    await w.run(200);
    assert.deepEqual(lost, [1]);
    assert.equal(sup.restartCount, 1);
    const ref = reference();
    await ref.run(200);
    assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash(), 'recovery changed no spike');
    assert.throws(() => sup.injectFailure(2, 10, 'throw'), (e: unknown) => e instanceof InputError && e.field === 'shard');
  });

  it('requireCapability: an UnsupportedError naming the backend, the capability and the reason', () => {
    assert.throws(() => requireCapability(reference(), 'shard-supervision', 'fault.kind', 'worker-crash', 'needs worker threads'), (e: unknown) => {
      assert.ok(e instanceof UnsupportedError && e instanceof InputError);
      assert.equal(e.code, 'unsupported');
      assert.equal(e.backend, 'cpu');
      assert.equal(e.capability, 'worker-crash');
      assert.equal(e.reason, 'needs worker threads');
      assert.equal(e.field, 'fault.kind');
      assert.equal(e.message, 'fault.kind: worker-crash is not supported on the cpu backend: needs worker threads');
      return true;
    });
  });

  it('faults that need shards ask for the capability: refused on the reference with an UnsupportedError', async () => {
    const chaos = new ChaosController(reference());
    await assert.rejects(chaos.inject({ kind: 'worker-stall', durationMs: 10 }), (e: unknown) => e instanceof UnsupportedError && e.capability === 'worker-stall' && /needs the workers backend/.test(e.message));
    await assert.rejects(chaos.inject({ kind: 'partition', from: { shards: [0] }, to: { populations: ['I'] } }), (e: unknown) => e instanceof UnsupportedError && e.field === 'fault.from.shards' && e.capability === 'partition by shards');
    await assert.rejects(chaos.inject({ kind: 'cascading-failure', initial: { kind: 'worker-crash', worker: 0 }, maxDepth: 1, propagationDelayMs: 1 }), (e: unknown) => e instanceof UnsupportedError && e.field === 'fault.initial.kind');
  });
});
