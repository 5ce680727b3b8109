import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { STATE_BUFFER_NAMES, type SimulationBackend } from '../../src/backends/backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';

import { buildNetwork } from '../../src/model/builder.js';
import type { NetworkSpec } from '../../src/model/spec.js';
import { LIF, smallNetworkSpec } from '../helpers/networks.js';
import { gpujsConformanceEntry as entry } from './gpujs-entry.js';

/** Compares every state buffer bit for bit (Object.is: NaN equals NaN, -0 differs from 0). */
function assertSameState(a: SimulationBackend, b: SimulationBackend): void {
  for (const name of STATE_BUFFER_NAMES) {
    const x = a.buffer(name);
    const y = b.buffer(name);
    assert.equal(x.length, y.length, name);
    for (let i = 0; i < x.length; i++) if (!Object.is(x[i], y[i])) assert.fail(`${name}[${i}]: reference ${x[i]}, ${entry.name} ${y[i]}`);
  }
}

/** 1,500 neurons, 150,000 synapses, one delay per sign: the larger network of the rate check (small delay span keeps cpu mode quick). */
function midSpec(): NetworkSpec {
  const w = 87.8;
  const neuron = { ...LIF, tauSynInhMs: 0.5 };
  return {
    name: 'mid',
    populations: [
      { name: 'E', size: 1200, neuron, initialPotential: { kind: 'normal', meanMv: -58, sdMv: 5 }, drives: [{ kind: 'poisson', rateHz: 8 * 1800, weightPa: w }] },
      { name: 'I', size: 300, neuron, initialPotential: { kind: 'normal', meanMv: -58, sdMv: 5 }, drives: [{ kind: 'poisson', rateHz: 8 * 1700, weightPa: w }] },
    ],
    projections: ['E', 'I'].flatMap((target) => [
      { source: 'E', target, rule: { kind: 'fixed-indegree', indegree: 80, allowAutapses: false } as const, weightPa: { kind: 'normal', mean: w, sd: 8.8 } as const, delayMs: { kind: 'constant', value: 1.5 } as const },
      { source: 'I', target, rule: { kind: 'fixed-indegree', indegree: 20, allowAutapses: false } as const, weightPa: { kind: 'normal', mean: -4 * w, sd: 35 } as const, delayMs: { kind: 'constant', value: 1.5 } as const },
    ]),
  };
}

/** Runs the same fault script on the reference and on the backend under test; returns both, still live. */
async function bothWithFault(spec: Record<string, unknown>, before: number, during: number, after: number) {
  const out: { sim: SimulationBackend; chaos: ChaosController; evidence: string }[] = [];
  for (const make of [(n: ReturnType<typeof buildNetwork>) => new ReferenceBackend(n), (n: ReturnType<typeof buildNetwork>) => entry.create(n)]) {
    // Each backend gets its own network: weight faults write the connectivity in place.
    const sim = make(buildNetwork(smallNetworkSpec(), { seed: 21 }));
    const chaos = new ChaosController(sim, { seed: 5 });
    await sim.run(before);
    const fault = await chaos.injectUnknown(spec);
    await chaos.run(during);
    const v = fault.verify();
    assert.ok(v.ok, `${sim.name}: ${v.evidence}`);
    await chaos.stopAll();
    await sim.run(after);
    out.push({ sim, chaos, evidence: v.evidence });
  }
  return { ref: out[0].sim, sim: out[1].sim };
}

describe(`conformance: ${entry.name} against the cpu reference`, () => {
  it('a tiny network, 2 replicas: the same spike trains and state for 1,000 steps (exact in cpu mode)', { skip: !entry.exact && 'float32 GPU mode: spike trains are compared by rates only' }, async () => {
    const net = buildNetwork(smallNetworkSpec(200), { seed: 11 });
    const ref = new ReferenceBackend(net, { batch: 2 });
    const sim = entry.create(net, { batch: 2 });
    try {
      for (const steps of [1, 299, 700]) {
        await ref.run(steps);
        await sim.run(steps);
        assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash(), `after step ${ref.currentStep}`);
        assertSameState(ref, sim);
      }
      assert.ok(ref.recorder.totalSpikes > 100, 'the network is active');
      assert.equal(sim.metrics().synapticEvents, ref.metrics().synapticEvents);
    } finally {
      await sim.dispose();
    }
  });

  it('guards on, a saturating storm: the cap falls on the whole input, fused drive included, as on the reference', { skip: !entry.exact && 'float32 GPU mode' }, async () => {
    const net = buildNetwork(smallNetworkSpec(200), { seed: 11 });
    const guards = { enabled: true, saturationPa: 5000 };
    const ref = new ReferenceBackend(net, { guards });
    const sim = entry.create(net, { guards });
    try {
      for (const b of [ref, sim]) await new ChaosController(b).inject({ kind: 'spike-storm', target: { neurons: [0, 1, 2] }, rateHz: 10000, train: 'regular', amplitude: 1e6 });
      await ref.run(30);
      await sim.run(30);
      // A dead neuron beside the stormed ones: their population now runs the faulted kernel (guards as passes) on the reference.
      for (const b of [ref, sim]) await new ChaosController(b).inject({ kind: 'neuron-fault', target: { neurons: [3] }, mode: 'dead' });
      await ref.run(30);
      await sim.run(30);
      assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
      assertSameState(ref, sim);
      assert.ok(ref.metrics().inputsCapped > 0);
      assert.equal(sim.metrics().inputsCapped, ref.metrics().inputsCapped);
    } finally {
      await sim.dispose();
    }
  });

  it('a 1,500-neuron network: population rates within 2% over 1 s', async () => {
    const net = buildNetwork(midSpec(), { seed: 3 });
    const ref = new ReferenceBackend(net);
    const sim = entry.create(net);
    try {
      await ref.run(10_000);
      await sim.run(10_000);
      const a = ref.recorder.populationRatesHz(net, 1000);
      const b = sim.recorder.populationRatesHz(net, 1000);
      for (const pop of Object.keys(a)) {
        assert.ok(a[pop] > 1, `${pop} is active (${a[pop]} Hz)`);
        assert.ok(Math.abs(b[pop] - a[pop]) <= entry.rateTolerance * a[pop], `${pop}: reference ${a[pop]} Hz, ${entry.name} ${b[pop]} Hz`);
      }
      if (entry.exact) assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
    } finally {
      await sim.dispose();
    }
  });

  it('restores a reference checkpoint and goes on as the reference does', async () => {
    const net = buildNetwork(smallNetworkSpec(200), { seed: 12 });
    const ref = new ReferenceBackend(net);
    await ref.run(400);
    const cp = ref.checkpoint();
    const sim = entry.create(net);
    try {
      sim.restore(cp);
      await ref.run(400);
      await sim.run(400);
      if (entry.exact) assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
      assert.equal(sim.currentStep, 800);
    } finally {
      await sim.dispose();
    }
  });

  describe('chaos faults through the backend interface land as on the reference', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['spike-storm (Poisson, pA into the input ring)', { kind: 'spike-storm', id: 's', target: { populations: ['E'], percent: 10 }, rateHz: 2000, amplitude: 150, durationMs: 30 }],
      ['spike-storm (regular, mV into the membrane)', { kind: 'spike-storm', id: 's', target: { populations: ['I'], percent: 50 }, rateHz: 1000, train: 'regular', amplitude: 3, unit: 'mV', durationMs: 30 }],
      ['weight-corruption (sign flips: weights change class, the gather tables are rebuilt)', { kind: 'weight-corruption', id: 'w', fraction: 0.05, mode: 'sign-flip' }],
      ['weight-corruption (NaN)', { kind: 'weight-corruption', id: 'w', fraction: 0.01, mode: 'nan' }],
      ['neuron-fault (dead)', { kind: 'neuron-fault', id: 'n', target: { populations: ['E'], percent: 25 }, mode: 'dead', durationMs: 30 }],
      ['neuron-fault (saturated)', { kind: 'neuron-fault', id: 'n', target: { neurons: [1, 2, 3] }, mode: 'saturated', durationMs: 30 }],
      ['neuron-fault (drift of threshold)', { kind: 'neuron-fault', id: 'n', target: { populations: ['E'] }, mode: 'drift', parameter: 'threshold', factor: 0.8, durationMs: 30 }],
      ['partition (delay: delivered on the host)', { kind: 'partition', id: 'p', from: { populations: ['E'] }, to: { populations: ['I'] }, direction: 'one-way', mode: 'delay', extraDelayMs: 2, durationMs: 30 }],
    ];
    for (const [title, spec] of cases) {
      it(title, async () => {
        const { ref, sim } = await bothWithFault(spec, 200, 300, 300);
        try {
          if (entry.exact) {
            assert.equal(sim.recorder.spikeHash(), ref.recorder.spikeHash());
            assertSameState(ref, sim);
          } else {
            assert.ok(Math.abs(sim.recorder.totalSpikes - ref.recorder.totalSpikes) <= 0.1 * ref.recorder.totalSpikes);
          }
          assert.deepEqual(Array.from(sim.synapses().weightsPa.slice(0, 64)), Array.from(ref.synapses().weightsPa.slice(0, 64)), 'weights restored');
        } finally {
          await sim.dispose();
        }
      });
    }
  });
});
