import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildNetwork } from '../../src/model/builder.js';
import { cubaSpec } from '../../src/model/cuba.js';
import { connectivityBytes } from '../../src/model/network.js';
import type { NetworkSpec, ProjectionSpec } from '../../src/model/spec.js';
import { InputError } from '../../src/util/errors.js';

const twoPops = (projections: ProjectionSpec[], sizes = [300, 200]): NetworkSpec => ({
  name: 't',
  populations: [
    { name: 'A', size: sizes[0], neuron: { capacitancePf: 250, tauMembraneMs: 10, tauSynExcMs: 0.5, tauSynInhMs: 0.5, restingMv: -65, thresholdMv: -50, resetMv: -65, refractoryMs: 2, dcPa: 0 }, initialPotential: { kind: 'constant', valueMv: -65 }, drives: [] },
    { name: 'B', size: sizes[1], neuron: { capacitancePf: 250, tauMembraneMs: 10, tauSynExcMs: 0.5, tauSynInhMs: 0.5, restingMv: -65, thresholdMv: -50, resetMv: -65, refractoryMs: 2, dcPa: 0 }, initialPotential: { kind: 'constant', valueMv: -65 }, drives: [] },
  ],
  projections,
});
const w = { kind: 'normal', mean: 80, sd: 8 } as const;
const d = { kind: 'normal', mean: 1.5, sd: 0.75 } as const;

function assertRowsSortedByTarget(net: ReturnType<typeof buildNetwork>) {
  const { rowPtr, targets } = net.synapses;
  for (let s = 0; s < net.neuronCount; s++) {
    for (let k = rowPtr[s] + 1; k < rowPtr[s + 1]; k++) assert.ok(targets[k - 1] <= targets[k], `row ${s} unsorted at ${k}`);
  }
}

describe('buildNetwork', () => {
  it('is deterministic for a seed and differs between seeds', () => {
    const a = buildNetwork(cubaSpec(), { seed: 5 });
    const b = buildNetwork(cubaSpec(), { seed: 5 });
    const c = buildNetwork(cubaSpec(), { seed: 6 });
    assert.deepEqual(a.synapses.targets, b.synapses.targets);
    assert.deepEqual(a.synapses.rowPtr, b.synapses.rowPtr);
    assert.notDeepEqual(a.synapses.targets.slice(0, 1000), c.synapses.targets.slice(0, 1000));
  });

  it('stores at most 10 bytes per synapse', () => {
    const net = buildNetwork(cubaSpec());
    assert.ok(connectivityBytes(net) / net.synapseCount <= 10);
  });

  it('fixed-total-number makes exactly that many synapses, rows sorted, weights keep their sign, delays >= 1 step', () => {
    const net = buildNetwork(twoPops([
      { source: 'A', target: 'B', rule: { kind: 'fixed-total-number', count: 12345 }, weightPa: w, delayMs: d },
      { source: 'B', target: 'A', rule: { kind: 'fixed-total-number', count: 999 }, weightPa: { kind: 'normal', mean: -320, sd: 200 }, delayMs: d },
    ]));
    assert.equal(net.synapseCount, 12345 + 999);
    assertRowsSortedByTarget(net);
    const { rowPtr, targets, weightsPa, delaySteps } = net.synapses;
    for (let s = 0; s < net.neuronCount; s++) {
      for (let k = rowPtr[s]; k < rowPtr[s + 1]; k++) {
        if (s < 300) assert.ok(targets[k] >= 300 && weightsPa[k] >= 0);
        else assert.ok(targets[k] < 300 && weightsPa[k] <= 0);
        assert.ok(delaySteps[k] >= 1);
      }
    }
    assert.equal(net.minDelaySteps, 1);
  });

  it('pairwise-probability connects close to p of all pairs, without autapses when asked', () => {
    const net = buildNetwork(twoPops([{ source: 'A', target: 'A', rule: { kind: 'pairwise-probability', probability: 0.1, allowAutapses: false }, weightPa: w, delayMs: d }], [1000, 1]));
    const expected = 1000 * 999 * 0.1;
    assert.ok(Math.abs(net.synapseCount - expected) < 5 * Math.sqrt(expected), `${net.synapseCount} vs ${expected}`);
    const { rowPtr, targets } = net.synapses;
    for (let s = 0; s < 1000; s++) for (let k = rowPtr[s]; k < rowPtr[s + 1]; k++) assert.notEqual(targets[k], s);
    assertRowsSortedByTarget(net);
  });

  it('fixed-indegree gives every target exactly that in-degree', () => {
    const net = buildNetwork(twoPops([{ source: 'A', target: 'B', rule: { kind: 'fixed-indegree', indegree: 17, allowAutapses: true }, weightPa: w, delayMs: d }]));
    const indeg = new Uint32Array(net.neuronCount);
    for (const t of net.synapses.targets) indeg[t]++;
    for (let t = 300; t < 500; t++) assert.equal(indeg[t], 17);
    assertRowsSortedByTarget(net);
  });

  it('merges several projections between the same populations into sorted rows', () => {
    const net = buildNetwork(twoPops([
      { source: 'A', target: 'B', rule: { kind: 'fixed-total-number', count: 5000 }, weightPa: w, delayMs: d },
      { source: 'A', target: 'B', rule: { kind: 'fixed-indegree', indegree: 5, allowAutapses: true }, weightPa: { kind: 'constant', value: 1 }, delayMs: { kind: 'constant', value: 3 } },
    ]));
    assert.equal(net.synapseCount, 5000 + 200 * 5);
    assertRowsSortedByTarget(net);
    let ones = 0;
    for (const x of net.synapses.weightsPa) if (x === 1) ones++;
    assert.equal(ones, 1000);
  });

  it('refuses a delay beyond 255 steps, naming the projection', () => {
    assert.throws(
      () => buildNetwork(twoPops([{ source: 'A', target: 'B', rule: { kind: 'fixed-total-number', count: 10 }, weightPa: w, delayMs: { kind: 'constant', value: 30 } }])),
      (e: unknown) => e instanceof InputError && e.field === 'model.projections[0].delayMs' && /255 steps/.test(e.message),
    );
  });

  it('refuses bad seeds and time steps', () => {
    assert.throws(() => buildNetwork(cubaSpec(), { seed: -1 }), (e: unknown) => e instanceof InputError && e.field === 'seed');
    assert.throws(() => buildNetwork(cubaSpec(), { dtMs: 0 }), (e: unknown) => e instanceof InputError && e.field === 'dtMs');
  });
});
