import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  assertProperty,
  buildNetwork,
  chaosModelProperty,
  checkInvariants,
  checkProperty,
  faultSpecArbitrary,
  networkSpecArbitrary,
  ReferenceBackend,
  scenarioArbitrary,
  validateFaultSpec,
  validateNetworkSpec,
  validateScenario,
  type FuzzBackendEntry,
} from '../../src/index.js';
import { fuzzNetwork } from '../../fuzz/networks.js';
import { CI_SEED } from '../../fuzz/fuzz-case.js';

describe('the fuzzing API (package entry)', () => {
  it('arbitraries draw only valid faults, models and scenarios', () => {
    const net = fuzzNetwork();
    for (const s of fc.sample(faultSpecArbitrary(net, { workers: 2, batch: 3, permanent: true }), { seed: CI_SEED, numRuns: 300 })) validateFaultSpec(s);
    for (const m of fc.sample(networkSpecArbitrary(), { seed: CI_SEED, numRuns: 50 })) validateNetworkSpec(m);
    for (const s of fc.sample(scenarioArbitrary(net, { modelName: 'mine.yaml', workers: 2 }), { seed: CI_SEED, numRuns: 50 })) validateScenario(s);
  });

  it('checkInvariants passes a healthy guarded run and names what breaks: non-finite state, a duplicate spike, a spike inside the refractory period', async () => {
    const net = fuzzNetwork();
    const sim = new ReferenceBackend(net, { guards: { enabled: true } });
    sim.advance(300);
    assert.deepEqual(checkInvariants(sim, { guardSaturationPa: 100_000 }), []);
    const v = sim.buffer('membraneMv') as Float32Array;
    v[3] = NaN;
    assert.match(checkInvariants(sim, { guardSaturationPa: 100_000 }).join('\n'), /neuron 3: non-finite state/);
    v[3] = -1e9;
    assert.match(checkInvariants(sim, { guardSaturationPa: 100_000 }).join('\n'), /neuron 3: V = -1000000000 mV outside the physical band/);
    v[3] = -65;
    const pairs = sim.recorder.stores[0].toPairs();
    const [step, neuron] = [pairs[pairs.length - 2], pairs[pairs.length - 1]];
    sim.recorder.record(step, 0, Int32Array.of(neuron), 1);
    assert.match(checkInvariants(sim).join('\n'), /duplicates the previous one/);
    const other = new ReferenceBackend(net);
    other.advance(10);
    other.recorder.record(10, 0, Int32Array.of(5), 1);
    other.recorder.record(11, 0, Int32Array.of(5), 1);
    const found = checkInvariants(other).join('\n');
    assert.match(found, /neuron 5: spikes at steps 10 and 11, closer than its refractory period allows/);
    assert.match(found, /spike at step 1[01], but the simulation is at step 10/);
    await sim.dispose();
    await other.dispose();
  });

  it('a user property against their own model: model-based chaos on the reference backend', async () => {
    const mine = buildNetwork(fuzzNetwork().spec, { seed: 11 });
    const cpu: FuzzBackendEntry = { name: 'cpu', workers: 0, create: (n, o) => new ReferenceBackend(n, o) };
    const out = await assertProperty(chaosModelProperty(cpu, mine, { maxCommands: 5, maxSimMs: 20 }), { numRuns: 3, seed: CI_SEED });
    assert.equal(out.failed, false);
  });

  it('a failure reports seed, path, the shrunk counterexample and the replay command', async () => {
    const out = await checkProperty(fc.property(fc.integer(), (x) => x < 1000), { seed: 42, numRuns: 200, name: 'toy', replayCommand: (s, p) => `replay ${s} ${p}` });
    assert.equal(out.failed, true);
    assert.equal(out.seed, 42);
    assert.match(out.report, /^toy failed \(seed 42, path "[\d:]+"\)/);
    assert.match(out.report, /Counterexample: \[1000\]/);
    assert.match(out.report, new RegExp(`replay: replay 42 ${out.path}`));
    const again = await checkProperty(fc.property(fc.integer(), (x) => x < 1000), { seed: 42, path: out.path!, numRuns: 1 });
    assert.equal(again.failed, true, 'seed and path replay the failure');
  });
});
