import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import type { CascadingFailure } from '../../src/chaos/cascading-failure.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, digest, reference } from './helpers.js';

describe('cascading-failure', () => {
  it('a corruption spreads downstream depth by depth at the propagation delay, and stops whole', async () => {
    const sim = reference();
    const pristine = digest(sim.synapses().weightsPa);
    const chaos = new ChaosController(sim);
    const c = (await chaos.inject({ kind: 'cascading-failure', initial: { kind: 'weight-corruption', population: 'E', fraction: 0.2 }, propagationDelayMs: 10, maxDepth: 3 })) as CascadingFailure;
    assert.deepEqual(c.plannedChain, ['E', 'I'], 'E projects most into I once E is hit; nothing after I');
    assert.equal(c.children.length, 1);
    await chaos.run(99);
    assert.equal(c.children.length, 1, 'not before step 100');
    await chaos.run(1);
    assert.equal(c.children.length, 2, 'the second depth came at step 100');
    assert.ok(c.verify().ok, c.verify().evidence);
    await c.stop();
    assert.ok(c.verify().ok, c.verify().evidence);
    assert.equal(digest(sim.synapses().weightsPa), pristine);
  });

  it('worker crashes cascade from worker to worker; the supervisor recovers each, spikes unchanged', async () => {
    const ref = reference();
    ref.advance(1500);
    const w = new WorkersBackend(chaosNet, { workers: 3, checkpointEverySteps: 200 });
    try {
      const chaos = new ChaosController(w);
      const c = (await chaos.inject({ kind: 'cascading-failure', initial: { kind: 'worker-crash', worker: 1 }, propagationDelayMs: 40, maxDepth: 2 })) as CascadingFailure;
      assert.deepEqual(c.plannedChain, ['1', '2', '0']);
      await chaos.run(1500);
      assert.equal(w.restartCount, 3);
      assert.ok(c.verify().ok, c.verify().evidence);
      assert.equal(w.recorder.spikeHash(), ref.recorder.spikeHash());
      await c.stop();
    } finally {
      await w.dispose();
    }
  });

  it('stopping before the next depth cancels the spread', async () => {
    const sim = reference();
    const chaos = new ChaosController(sim);
    const c = (await chaos.inject({ kind: 'cascading-failure', initial: { kind: 'partition', population: 'I' }, propagationDelayMs: 50, maxDepth: 1 })) as CascadingFailure;
    await chaos.run(100);
    await c.stop();
    await chaos.run(1000);
    assert.equal(c.children.length, 1);
    assert.ok(c.verify().ok, c.verify().evidence);
  });

  it('refuses bad cascades with the field', async () => {
    const chaos = new ChaosController(reference());
    await assert.rejects(chaos.inject({ kind: 'cascading-failure', initial: { kind: 'worker-crash' }, propagationDelayMs: 5 }), (e: unknown) => e instanceof InputError && e.field === 'fault.initial.kind' && /workers backend/.test(e.message));
    await assert.rejects(chaos.inject({ kind: 'cascading-failure', initial: { kind: 'partition', population: 'Z' }, propagationDelayMs: 5 }), (e: unknown) => e instanceof InputError && e.field === 'fault.initial.population');
    await assert.rejects(chaos.inject({ kind: 'cascading-failure', initial: { kind: 'partition', population: 'E' }, propagationDelayMs: 0 }), (e: unknown) => e instanceof InputError && e.field === 'fault.propagationDelayMs');
  });
});
