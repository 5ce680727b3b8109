import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { validateFaultSpec } from '../../src/chaos/fault-spec.js';
import type { ActiveFault } from '../../src/chaos/fault.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { planTargets, type PlanScope } from '../../src/engine/plan-targets.js';
import { outputFs } from '../../src/io/output-fs.js';
import { Allocator } from '../../src/memory/allocator.js';
import { InputError } from '../../src/util/errors.js';
import { noProjectionNetwork, TINY_MODEL, tinyNetwork } from '../fixtures/models.js';

const tiny = tinyNetwork();
const bare = noProjectionNetwork();
const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Planning refuses the spec with an InputError naming `field`, whose message matches `why`. */
function refused(spec: Record<string, unknown>, net = tiny, field: string, why: RegExp, scope: PlanScope = {}) {
  assert.throws(
    () => planTargets(validateFaultSpec(spec), 'f', net, 1, 2, 1, scope),
    (e: unknown) => e instanceof InputError && e.field === field && why.test(e.message) && /would act on nothing/.test(e.message),
    `${JSON.stringify(spec)} refused naming ${field}`,
  );
}

/** Injects into a fresh reference simulation of `net`, runs `steps`, and returns the fault's verify. */
async function verifyAfter(spec: Record<string, unknown>, steps: number, net = tiny) {
  const allocator = new Allocator(2 ** 30);
  const sim = new ReferenceBackend(net, { allocator });
  const saved = net.synapses.weightsPa.slice();
  let f: ActiveFault | undefined;
  try {
    const chaos = new ChaosController(sim, { allocator });
    sim.advance(10);
    f = await chaos.injectUnknown(spec);
    await chaos.run(steps);
    return f.verify();
  } finally {
    await f?.stop();
    await sim.dispose();
    net.synapses.weightsPa.set(saved);
  }
}

function noEffect(v: { ok: boolean; noEffect?: true; evidence: string }, why: RegExp) {
  assert.equal(v.ok, false, v.evidence);
  assert.equal(v.noEffect, true, v.evidence);
  assert.match(v.evidence, why);
}

describe('a fault that would act on nothing', () => {
  describe('disk-fault', () => {
    const scenario = (defences: Record<string, unknown>, fault: Record<string, unknown> = { kind: 'disk-fault', errorRate: 1 }) =>
      validateScenario({ title: 't', model: { name: TINY_MODEL }, backend: 'cpu', defences, defaults: { warmupMs: 1, baselineMs: 5, monitorIntervalMs: 1, holdMs: 1 }, experiments: [{ id: 'disk', fault, observationMs: 5, recoveryTimeoutMs: 5 }] });

    it('with defences.recording off: refused when planned, and the run refuses it before simulating', async () => {
      const engine = new ChaosEngine(scenario({ recording: 'off' }));
      const why = (e: unknown) => e instanceof InputError && e.field === 'experiments[0].fault.kind' && /disk-fault would act on nothing: there is no output to fault because defences.recording is off/.test(e.message);
      assert.throws(() => engine.plan(true), why);
      await assert.rejects(engine.run(), why);
      // With recording on, the same fault plans.
      assert.equal(new ChaosEngine(scenario({ recording: 'durable' })).plan(true)[0].kind, 'disk-fault');
    });

    it('with a path that holds none of the run\'s output: refused naming fault.path', () => {
      const recordDir = mkdtempSync(join(tmpdir(), 'neurochaos-empty-scope-'));
      const elsewhere = mkdtempSync(join(tmpdir(), 'neurochaos-elsewhere-'));
      dirs.push(recordDir, elsewhere);
      refused({ kind: 'disk-fault', full: true, path: elsewhere }, tiny, 'fault.path', /holds none of the run's output/, { outputs: { recording: 'durable', recordDir } });
      assert.equal(typeof planTargets(validateFaultSpec({ kind: 'disk-fault', full: true, path: recordDir }), 'f', tiny, 1, 1, 1, { outputs: { recording: 'durable', recordDir } }), 'string');
    });

    it('injected where nothing is written: verify says no effect once the simulation moved on (not "ok, 0 EIO")', async () => {
      try {
        noEffect(await verifyAfter({ kind: 'disk-fault', errorRate: 1 }, 50), /0 writes and fsyncs in its scope.*no output file was written/);
      } finally {
        outputFs.setFaults(null);
      }
    });
  });

  describe('spike-storm', () => {
    it('amplitude 0: refused naming fault.amplitude; injected anyway, verify says no effect', async () => {
      refused({ kind: 'spike-storm', rateHz: 1000, amplitude: 0 }, tiny, 'fault.amplitude', /amplitude of 0/);
      noEffect(await verifyAfter({ kind: 'spike-storm', rateHz: 1000, amplitude: 0, train: 'regular' }, 50), /amplitude 0/);
    });

    it('a train too slow to owe an event in its time touched nothing; a Poisson storm that drew no event neither', async () => {
      noEffect(await verifyAfter({ kind: 'spike-storm', rateHz: 1, amplitude: 100, train: 'regular', target: { count: 1 } }, 50), /no event was due/);
      noEffect(await verifyAfter({ kind: 'spike-storm', rateHz: 0.001, amplitude: 100, target: { count: 1 } }, 20), /0 Poisson events.*touched nothing/);
    });

    it('a storm that wrote events verifies ok', async () => {
      const v = await verifyAfter({ kind: 'spike-storm', rateHz: 1000, amplitude: 100, train: 'regular' }, 50);
      assert.ok(v.ok && !v.noEffect, v.evidence);
    });
  });

  describe('neuron-fault', () => {
    it('a drift by 1, or one that rounds to the same refractory steps, is refused naming fault.factor; injected, verify says no effect', async () => {
      refused({ kind: 'neuron-fault', mode: 'drift', parameter: 'threshold', factor: 1 }, tiny, 'fault.factor', /leaves the parameters of every target as they were/);
      // tiny.yaml keeps NEST's 2 ms refractory period: x1.01 is 2.02 ms, still 20 steps of 0.1 ms.
      refused({ kind: 'neuron-fault', mode: 'drift', parameter: 'refractory', factor: 1.01 }, tiny, 'fault.factor', /refractory by 1.01/);
      noEffect(await verifyAfter({ kind: 'neuron-fault', mode: 'drift', parameter: 'tauMembrane', factor: 1 }, 20), /leaves every target's parameters as they were/);
      const v = await verifyAfter({ kind: 'neuron-fault', mode: 'drift', parameter: 'refractory', factor: 2 }, 20);
      assert.ok(v.ok, v.evidence);
    });
  });

  describe('weight-corruption', () => {
    it('on a network without synapses: refused by planning and by injection, saying it needs synapses', async () => {
      refused({ kind: 'weight-corruption', fraction: 0.1, mode: 'bit-flip' }, bare, 'fault.kind', /needs synapses, and the network has none/);
      const sim = new ReferenceBackend(bare);
      try {
        await assert.rejects(new ChaosController(sim).inject({ kind: 'weight-corruption', fraction: 0.1, mode: 'bit-flip' }), (e: unknown) => e instanceof InputError && e.field === 'fault.kind' && /needs synapses/.test(e.message));
      } finally {
        await sim.dispose();
      }
    });

    it('a scope with no synapse (tiny has no I->I projection) is refused naming fault.source', () => {
      refused({ kind: 'weight-corruption', source: 'I', target: 'I', fraction: 0.5, mode: 'nan' }, tiny, 'fault.source', /none run from I to I/);
    });

    it('a scale by 1 or noise of sd 0 is refused; injected, verify says the weights were left as they were', async () => {
      refused({ kind: 'weight-corruption', fraction: 0.1, mode: 'scale', factor: 1 }, tiny, 'fault.factor', /scaling by 1/);
      refused({ kind: 'weight-corruption', fraction: 0.1, mode: 'gaussian-noise', sigma: 0 }, tiny, 'fault.sigma', /sd 0/);
      noEffect(await verifyAfter({ kind: 'weight-corruption', fraction: 0.1, mode: 'scale', factor: 1 }, 5), /left all \d+ chosen weights bit for bit as they were/);
      const v = await verifyAfter({ kind: 'weight-corruption', fraction: 0.1, mode: 'scale', factor: 2 }, 5);
      assert.ok(v.ok, v.evidence);
    });
  });

  describe('partition', () => {
    it('on a network without synapses, or between populations no synapse joins, refused saying it needs synapses', () => {
      refused({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] } }, bare, 'fault.kind', /partition would act on nothing: it needs synapses, and the network has none/);
      refused({ kind: 'partition', from: { populations: ['I'] }, to: { populations: ['I'] }, direction: 'one-way' }, tiny, 'fault.from', /none run from \[I\] to \[I\]/);
      assert.deepEqual(planTargets(validateFaultSpec({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, direction: 'one-way' }), 'f', tiny, 1, 1, 1), { synapses: tiny.projections.find((p) => p.source === 'E' && p.target === 'I')!.synapses });
    });

    it('injected where nothing crosses: verify says it cut nothing', async () => {
      noEffect(await verifyAfter({ kind: 'partition', from: { populations: ['I'] }, to: { populations: ['I'] }, direction: 'one-way' }, 100), /0 synapse activations dropped.*cut nothing/);
      noEffect(await verifyAfter({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] } }, 50, bare), /cut nothing/);
    });
  });

  describe('allocator-pressure', () => {
    it('freeFraction 1 alone squeezes nothing: refused naming fault.freeFraction; injected, verify says no effect', async () => {
      refused({ kind: 'allocator-pressure', freeFraction: 1 }, tiny, 'fault.freeFraction', /squeezes anything/);
      noEffect(await verifyAfter({ kind: 'allocator-pressure', freeFraction: 1 }, 0), /met nothing/);
    });

    it('failures on a simulation that allocates nothing while it runs met nothing', async () => {
      noEffect(await verifyAfter({ kind: 'allocator-pressure', failureRate: 0.5 }, 30), /0 allocations asked for since it began/);
    });
  });

  describe('cascading-failure', () => {
    it('a partition or corruption cascade on a network without synapses is refused naming fault.initial.kind', () => {
      refused({ kind: 'cascading-failure', initial: { kind: 'partition', population: 'E' }, propagationDelayMs: 5 }, bare, 'fault.initial.kind', /needs synapses/);
      refused({ kind: 'cascading-failure', initial: { kind: 'weight-corruption', population: 'E', fraction: 0.1 }, propagationDelayMs: 5 }, bare, 'fault.initial.kind', /needs synapses/);
    });

    it('plans its chain depth by depth', () => {
      assert.equal(planTargets(validateFaultSpec({ kind: 'cascading-failure', initial: { kind: 'weight-corruption', population: 'I', fraction: 0.1 }, propagationDelayMs: 5, maxDepth: 2 }), 'f', tiny, 1, 1, 1), 'I -> E, one depth every 5 ms');
    });
  });

  describe('kinds whose scope is never empty', () => {
    it('worker faults name a worker the run lacks; CPU stress always burns', () => {
      assert.throws(() => planTargets(validateFaultSpec({ kind: 'worker-crash', worker: 3 }), 'f', tiny, 1, 2, 1), (e: unknown) => e instanceof InputError && e.field === 'fault.worker' && /\[0, 1\]/.test(e.message));
      assert.deepEqual(planTargets(validateFaultSpec({ kind: 'worker-stall', worker: 1 }), 'f', tiny, 1, 2, 1), { worker: 1 });
      assert.deepEqual(planTargets(validateFaultSpec({ kind: 'cpu-stress', threads: 2 }), 'f', tiny, 1, 1, 1), { threads: 2 });
    });
  });
});
