import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { firstPairAtOrAfter } from '../../../src/engine/judge/spike-pairs.js';

describe('firstPairAtOrAfter: the first (step, neuron) pair of a span', () => {
  it('finds the first pair at or after a step, with repeated steps, before the first and after the last', () => {
    const pairs = Int32Array.from([10, 0, 20, 3, 20, 1, 35, 2]);
    assert.equal(firstPairAtOrAfter(pairs, 0), 0);
    assert.equal(firstPairAtOrAfter(pairs, 10), 0);
    assert.equal(firstPairAtOrAfter(pairs, 11), 1);
    assert.equal(firstPairAtOrAfter(pairs, 20), 1, 'the first of the pairs at step 20');
    assert.equal(firstPairAtOrAfter(pairs, 21), 3);
    assert.equal(firstPairAtOrAfter(pairs, 36), 4, 'past the last pair: pairs.length / 2');
    assert.equal(firstPairAtOrAfter(new Int32Array(0), 5), 0);
  });
});
