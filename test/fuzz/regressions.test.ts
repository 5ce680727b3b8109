import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { loadScenario, validateScenario } from '../../src/engine/load-scenario.js';
import { outputFs } from '../../src/io/output-fs.js';
import { Allocator } from '../../src/memory/allocator.js';
import { loadModelFile } from '../../src/model/load-model-file.js';
import { InputError } from '../../src/util/errors.js';
import { fuzzNetwork, fuzzNetworkSpec } from '../../fuzz/networks.js';
import { tempDir } from '../helpers/temp-dir.js';

// Each of these was found by the fuzzers (the counterexample is in the test name) and fixed in src/.

describe('regressions found by fuzzing', () => {
  it('inject({cpu-stress, durationMs: 5e-324}), step: stopAll waits for a stop already in flight', async () => {
    const sim = new ReferenceBackend(fuzzNetwork());
    const chaos = new ChaosController(sim);
    const f = await chaos.inject({ kind: 'cpu-stress', durationMs: 5e-324 });
    await new Promise((r) => setTimeout(r, 20)); // its own timer starts the stop
    await chaos.stopAll();
    assert.equal(f.stopped, true, 'stopped when stopAll returns');
    assert.ok(f.verify().ok, f.verify().evidence);
    await sim.dispose();
  });

  it('pressure, stop, pressure: the first allocator fault verifies gone while the second squeezes', async () => {
    const allocator = new Allocator(2 ** 30);
    const sim = new ReferenceBackend(fuzzNetwork(), { allocator });
    const chaos = new ChaosController(sim, { allocator });
    const a = await chaos.inject({ kind: 'allocator-pressure', freeFraction: 0.5 });
    await a.stop();
    const b = await chaos.inject({ kind: 'allocator-pressure', freeFraction: 0 });
    assert.ok(a.verify().ok, a.verify().evidence);
    assert.ok(b.verify().ok, b.verify().evidence);
    await b.stop();
    assert.equal(allocator.underPressure, false);
    await a.stop(); // a second stop of the first one must not lift anything
    await sim.dispose();
  });

  it('disk-fault, stop, disk-fault: the first verifies gone while the second is active, and stopping it again lifts nothing', async () => {
    const sim = new ReferenceBackend(fuzzNetwork());
    const chaos = new ChaosController(sim);
    try {
      const a = await chaos.inject({ kind: 'disk-fault', full: true });
      await a.stop();
      const b = await chaos.inject({ kind: 'disk-fault', full: true });
      assert.ok(a.verify().ok, a.verify().evidence);
      await a.stop();
      assert.ok(outputFs.faulted, 'the second disk fault is still in force');
      await b.stop();
      assert.ok(!outputFs.faulted);
    } finally {
      outputFs.setFaults(null);
      await sim.dispose();
    }
  });

  it('a corruption cascade from I never plans a depth into Out, a population with no outgoing synapses', async () => {
    const net = fuzzNetwork();
    const saved = net.synapses.weightsPa.slice();
    const sim = new ReferenceBackend(net);
    const chaos = new ChaosController(sim);
    try {
      const c = await chaos.inject({ kind: 'cascading-failure', initial: { kind: 'weight-corruption', population: 'I', fraction: 1e-6, mode: 'bit-flip' }, propagationDelayMs: 0.1, maxDepth: 3 });
      assert.deepEqual((c as unknown as { plannedChain: string[] }).plannedChain, ['I', 'E']);
      await chaos.run(10); // every depth spreads without an error
      await chaos.stopAll();
    } finally {
      net.synapses.weightsPa.set(saved);
      await sim.dispose();
    }
  });

  it('a corruption cascade starting in a population with no outgoing synapses is refused and leaves nothing registered', async () => {
    const sim = new ReferenceBackend(fuzzNetwork());
    const chaos = new ChaosController(sim);
    await assert.rejects(chaos.inject({ kind: 'cascading-failure', id: 'c', initial: { kind: 'weight-corruption', population: 'Out', fraction: 0.5 }, propagationDelayMs: 1 }), (e: unknown) => e instanceof InputError && e.field === 'fault.initial.population');
    assert.equal(chaos.active.length, 0);
    assert.equal(chaos.get('c'), undefined);
    await chaos.run(50);
    await sim.dispose();
  });

  it('a scenario whose fault names an unknown population is bad input before anything runs (the CLI exits 2), not a failed experiment', async () => {
    const dir = tempDir('neurochaos-reg-');
    const model = join(dir, 'm.json');
    writeFileSync(model, JSON.stringify(fuzzNetworkSpec()));
    for (const [fault, field] of [
      [{ kind: 'neuron-fault', mode: 'dead', target: { populations: ['Nope'] } }, 'experiments[0].fault.target.populations[0]'],
      [{ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['Nope'] } }, 'experiments[0].fault.to.populations[0]'],
      [{ kind: 'cascading-failure', initial: { kind: 'partition', population: 'Nope' }, propagationDelayMs: 1 }, 'experiments[0].fault.initial.population'],
    ] as const) {
      const s = validateScenario({ title: 't', model: { name: model }, backend: 'cpu', experiments: [{ id: 'e', fault, observationMs: 1, recoveryTimeoutMs: 1 }] });
      await assert.rejects(new ChaosEngine(s, { recordDir: dir }).run(), (e: unknown) => e instanceof InputError && e.field === field, JSON.stringify(fault));
    }
  });

  it('a 3000-deep bracket file is refused before parsing (it crashed the process in the YAML error path)', () => {
    const dir = tempDir('neurochaos-reg-');
    for (const ext of ['.yaml', '.json']) {
      const f = join(dir, `deep${ext}`);
      writeFileSync(f, `${'['.repeat(3000)}${']'.repeat(3000)}`);
      assert.throws(() => loadScenario(f), (e: unknown) => e instanceof InputError && /deeper than 64/.test(e.message));
      assert.throws(() => loadModelFile(f), (e: unknown) => e instanceof InputError && /deeper than 64/.test(e.message));
      writeFileSync(f, `a: don't\nb: ${'['.repeat(3000)}${']'.repeat(3000)}\n`);
      assert.throws(() => loadScenario(f), (e: unknown) => e instanceof InputError && /deeper than 64/.test(e.message), 'an apostrophe in a plain scalar opens no string');
      writeFileSync(f, `a: 'quoted [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ inside'\n`);
      assert.throws(() => loadScenario(f), (e: unknown) => e instanceof InputError && !/deeper/.test(e.message), 'brackets inside a quoted string do not count');
      writeFileSync(f, `${'- '.repeat(3000)}1\n`);
      assert.throws(() => loadScenario(f), (e: unknown) => e instanceof InputError && /indentation/.test(e.message));
    }
  });

  it('["batch", {toString: 0}] and other unprintable values are refused naming the field, not with a TypeError from the message', async () => {
    const { createBackend } = await import('../../src/backends/create-backend.js');
    const { validateFaultSpec } = await import('../../src/chaos/fault-spec.js');
    const net = fuzzNetwork();
    const hostile = [{ toString: 0 }, Object.create(null), Symbol('s'), 10n];
    for (const v of hostile) {
      assert.throws(() => new ReferenceBackend(net, { batch: v as number }), (e: unknown) => e instanceof InputError && e.field === 'batch');
      assert.throws(() => createBackend(net, { backend: v as string }), (e: unknown) => e instanceof InputError && e.field === 'backend');
      assert.throws(() => createBackend(net, { backend: 'cpu', workers: v as number }), (e: unknown) => e instanceof InputError && e.field === 'workers');
      assert.throws(() => validateFaultSpec({ kind: v }), (e: unknown) => e instanceof InputError && e.field === 'fault.kind');
    }
  });

  it('pressure({failureRate: 0.3}), step, stop, repeated: refused restart-point copies give their bytes back (the allocator leaked them)', async () => {
    const { WorkersBackend } = await import('../../src/backends/workers/workers-backend.js');
    const { DYNAMIC_STATE_KEYS } = await import('../../src/backends/simulation-state.js');
    const allocator = new Allocator(2 ** 31);
    // Without graceful degradation a refused copy fails the run: the copies already made must be given back.
    // (With it, the restart point is taken once and refreshed in place, so steady running allocates nothing.)
    const w = new WorkersBackend(fuzzNetwork(), { workers: 2, allocator, checkpointEverySteps: 50, degrade: false });
    try {
      const base = allocator.stats().inUseBytes;
      const chaos = new ChaosController(w, { allocator });
      let refused = 0;
      for (let k = 0; k < 30; k++) {
        const f = await chaos.inject({ kind: 'allocator-pressure', id: `p${k}`, failureRate: 0.3 });
        await w.run(20).catch(() => refused++);
        await f.stop();
        if (refused > 0 && w.currentStep > 0) break;
      }
      await w.run(10);
      assert.ok(refused > 0, 'some runs were refused');
      const restartPoint = DYNAMIC_STATE_KEYS.reduce((a, k) => a + w.buffer(k).byteLength, 0);
      assert.equal(allocator.inUseFor('in-memory checkpoint'), restartPoint, 'exactly one restart point is held');
      assert.equal(allocator.stats().inUseBytes, base + restartPoint);
    } finally {
      await w.dispose();
    }
  });

  it('a regular storm still verifies after a worker crash: recomputed steps are not counted twice', async () => {
    const { WorkersBackend } = await import('../../src/backends/workers/workers-backend.js');
    const w = new WorkersBackend(fuzzNetwork(), { workers: 2, checkpointEverySteps: 50 });
    try {
      const chaos = new ChaosController(w);
      const storm = await chaos.inject({ kind: 'spike-storm', train: 'regular', rateHz: 5000, amplitude: 10, target: { count: 20 } });
      await chaos.inject({ kind: 'worker-crash', worker: 1, mode: 'exit', afterMs: 3 });
      await w.run(200);
      assert.equal(w.restartCount, 1);
      assert.ok(storm.verify().ok, storm.verify().evidence);
      await chaos.stopAll();
    } finally {
      await w.dispose();
    }
  });

  it('YAML warnings (an unknown directive) do not reach the console', async () => {
    const dir = tempDir('neurochaos-reg-');
    const f = join(dir, 'w.yaml');
    writeFileSync(f, '%Azk\n---\ntitle: x\n');
    let warnings = 0;
    const count = () => warnings++;
    process.on('warning', count);
    try {
      assert.throws(() => loadScenario(f), InputError);
      await new Promise((r) => setImmediate(r)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', count);
    }
    assert.equal(warnings, 0);
  });
});
