import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { validateFaultSpec } from '../../src/chaos/fault-spec.js';
import { InputError } from '../../src/util/errors.js';
import { digest, reference } from './helpers.js';

describe('faults compose', () => {
  const specs = [
    { kind: 'spike-storm', id: 'storm', target: { count: 30 }, rateHz: 5000, amplitude: 200 },
    { kind: 'neuron-fault', id: 'dead', target: { percent: 20 }, mode: 'dead' },
    { kind: 'neuron-fault', id: 'stuck', target: { percent: 20 }, mode: 'stuck', valueMv: -60 },
    { kind: 'weight-corruption', id: 'w', fraction: 0.2, mode: 'exponent-flip' },
  ];
  const orders = [
    [0, 1, 2, 3],
    [3, 2, 1, 0],
    [1, 3, 0, 2],
    [2, 0, 3, 1],
  ];
  for (const order of orders) {
    it(`several kinds active together stop cleanly in order ${order.join(',')}`, async () => {
      const sim = reference();
      const weights = digest(sim.synapses().weightsPa);
      const chaos = new ChaosController(sim, { seed: 12 });
      const faults = [];
      for (const s of specs) faults.push(await chaos.injectUnknown(s));
      sim.advance(200);
      for (const f of faults) assert.ok(f.verify().ok, `${f.id}: ${f.verify().evidence}`);
      for (const k of order) {
        await faults[k].stop();
        for (const f of faults) assert.ok(f.verify().ok, `after stopping ${faults[k].id}, ${f.id}: ${f.verify().evidence}`);
        sim.advance(10);
      }
      assert.equal(chaos.active.length, 0);
      assert.ok((sim.buffer('faultCode') as Uint8Array).every((c) => c === 0));
      assert.equal(digest(sim.synapses().weightsPa), weights);
    });
  }

  it('stopAll stops newest first and reports each', async () => {
    const chaos = new ChaosController(reference());
    await chaos.injectUnknown(specs[0]);
    await chaos.injectUnknown(specs[1]);
    const reports = await chaos.stopAll();
    assert.deepEqual(reports.map((r) => [r.id, r.ok]), [['dead', true], ['storm', true]]);
  });
});

describe('fault specs', () => {
  it('name the field and range, refuse unknown and unimplemented kinds', () => {
    const bad: [unknown, string, RegExp][] = [
      [{ kind: 'meteor' }, 'fault.kind', /must be one of spike-storm/],
      [{ kind: 'cascading-failure', initial: { kind: 'partition' }, propagationDelayMs: 5 }, 'fault.initial.population', /required/i],
      [{ kind: 'spike-storm', rateHz: 'fast', amplitude: 1 }, 'fault.rateHz', /number/],
      [{ kind: 'spike-storm', rateHz: 10, amplitude: 1, colour: 'red' }, 'fault', /colour/],
      [{ kind: 'cpu-stress', threads: 1000 }, 'fault.threads', /\[1, 64\]/],
      [{ kind: 'neuron-fault', mode: 'dead', target: { count: 3, percent: 5 } }, 'fault.target.percent', /count or percent/],
      [null, 'fault', /must be an object with a "kind"/],
      [[1, 2], 'fault', /must be an object/],
    ];
    for (const [input, field, pattern] of bad) {
      assert.throws(() => validateFaultSpec(input), (e: unknown) => e instanceof InputError && e.field === field && pattern.test(e.message), JSON.stringify(input));
    }
  });

  it('refuses a second active fault with the same id', async () => {
    const chaos = new ChaosController(reference());
    await chaos.inject({ kind: 'neuron-fault', id: 'x', mode: 'dead', target: { count: 1 } });
    await assert.rejects(chaos.inject({ kind: 'neuron-fault', id: 'x', mode: 'dead', target: { count: 1 } }), /already active/);
  });
});

describe('every kind together on the workers backend', () => {
  it('stops cleanly in two orders; nothing is left behind', async () => {
    const { WorkersBackend } = await import('../../src/backends/workers/workers-backend.js');
    const { Allocator } = await import('../../src/memory/allocator.js');
    const { outputFs } = await import('../../src/io/output-fs.js');
    const { chaosNet } = await import('./helpers.js');
    const specs = [
      { kind: 'spike-storm', target: { count: 10 }, rateHz: 1000, amplitude: 100 },
      { kind: 'weight-corruption', fraction: 0.1, mode: 'bit-flip' },
      { kind: 'neuron-fault', target: { count: 10 }, mode: 'saturated' },
      { kind: 'partition', from: { shards: [0] }, to: { shards: [1] }, mode: 'delay', extraDelayMs: 1 },
      { kind: 'cpu-stress', load: 0.2 },
      { kind: 'worker-stall', worker: 1, durationMs: 20 },
      { kind: 'disk-fault', latencyMs: 1 },
      { kind: 'allocator-pressure', latencyMs: 1 },
      { kind: 'cascading-failure', initial: { kind: 'weight-corruption', population: 'I', fraction: 0.05 }, propagationDelayMs: 5, maxDepth: 1 },
    ];
    for (const reverse of [false, true]) {
      const allocator = new Allocator();
      const w = new WorkersBackend(chaosNet, { workers: 2, allocator });
      try {
        const weights = digest(w.synapses().weightsPa);
        const chaos = new ChaosController(w, { allocator, seed: 3 });
        const faults = [];
        for (const s of specs) faults.push(await chaos.injectUnknown(s));
        await chaos.run(300);
        // A disk fault acts on the run's output files: with none written it would rightly say it had no effect.
        const { writeCheckpointFile } = await import('../../src/backends/checkpoint-file.js');
        const dir = mkdtempSync(join(tmpdir(), 'neurochaos-compose-'));
        writeCheckpointFile(join(dir, 'state.nchk'), w.checkpoint());
        rmSync(dir, { recursive: true, force: true });
        for (const f of faults) assert.ok(f.verify().ok, `${f.kind}: ${f.verify().evidence}`);
        const order = reverse ? [...faults].reverse() : faults;
        for (const f of order) await f.stop();
        for (const f of faults) assert.ok(f.verify().ok, `after stop, ${f.kind}: ${f.verify().evidence}`);
        assert.equal(chaos.active.length, 0);
        assert.ok((w.buffer('faultCode') as Uint8Array).every((c) => c === 0));
        assert.equal(digest(w.synapses().weightsPa), weights);
        assert.equal(allocator.underPressure, false);
        assert.equal(outputFs.faulted, false);
        await w.run(100);
      } finally {
        await w.dispose();
      }
    }
  });

  it('a reversible fault injected and stopped before any step leaves the run identical to an unfaulted one', async () => {
    const kinds = [
      { kind: 'spike-storm', rateHz: 1000, amplitude: 100 },
      { kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] } },
      { kind: 'weight-corruption', fraction: 0.5, mode: 'nan' },
      { kind: 'neuron-fault', mode: 'dead' },
    ];
    const clean = reference();
    clean.advance(500);
    for (const spec of kinds) {
      const sim = reference();
      const chaos = new ChaosController(sim);
      await (await chaos.injectUnknown(spec)).stop();
      sim.advance(500);
      assert.equal(sim.recorder.spikeHash(), clean.recorder.spikeHash(), spec.kind);
    }
  });
});
