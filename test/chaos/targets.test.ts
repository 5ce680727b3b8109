import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTargets } from '../../src/chaos/targets.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet } from './helpers.js';

describe('fault targets', () => {
  it('are deterministic per (seed, fault id) and differ between keys', () => {
    const a = resolveTargets(chaosNet, 1, { count: 20 }, '1:fault:x:targets', 'fault.target');
    const b = resolveTargets(chaosNet, 1, { count: 20 }, '1:fault:x:targets', 'fault.target');
    const c = resolveTargets(chaosNet, 1, { count: 20 }, '2:fault:x:targets', 'fault.target');
    assert.deepEqual(a.neurons, b.neurons);
    assert.notDeepEqual(a.neurons, c.neurons);
  });

  it('respect the blast radius: count, percent, populations, explicit neurons, replicas', () => {
    const inE = resolveTargets(chaosNet, 3, { populations: ['I'], percent: 50, replicas: [2, 0] }, 'k', 'f');
    const i = chaosNet.populations[1];
    assert.equal(inE.neurons.length, Math.round(i.size / 2));
    assert.ok([...inE.neurons].every((n) => n >= i.start && n < i.start + i.size));
    assert.ok([...inE.neurons].every((n, k, arr) => k === 0 || arr[k - 1] < n), 'ascending, distinct');
    assert.deepEqual(inE.replicas, [0, 2]);
    assert.equal(resolveTargets(chaosNet, 1, undefined, 'k', 'f').neurons.length, chaosNet.neuronCount);
    assert.deepEqual([...resolveTargets(chaosNet, 1, { neurons: [5, 3, 5] }, 'k', 'f').neurons], [3, 5]);
  });

  it('refuse what is out of range, naming the field', () => {
    assert.throws(() => resolveTargets(chaosNet, 1, { populations: ['X'] }, 'k', 'fault.target'), (e: unknown) => e instanceof InputError && e.field === 'fault.target.populations[0]' && /known: E, I/.test(e.message));
    assert.throws(() => resolveTargets(chaosNet, 1, { neurons: [400] }, 'k', 'fault.target'), (e: unknown) => e instanceof InputError && e.field === 'fault.target.neurons[0]' && /\[0, 399\]/.test(e.message));
    assert.throws(() => resolveTargets(chaosNet, 1, { count: 401 }, 'k', 'fault.target'), (e: unknown) => e instanceof InputError && e.field === 'fault.target.count');
    assert.throws(() => resolveTargets(chaosNet, 2, { replicas: [2] }, 'k', 'fault.target'), (e: unknown) => e instanceof InputError && e.field === 'fault.target.replicas[0]');
  });
});
