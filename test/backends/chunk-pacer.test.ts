import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChunkPacer } from '../../src/backends/chunk-pacer.js';

describe('ChunkPacer', () => {
  it('measures one step first, then sizes chunks to the wall budget, within [1, limit]', () => {
    const p = new ChunkPacer(100);
    assert.equal(p.next(500), 1);
    p.observe(1, 2); // 2 ms a step: 50 steps fit
    assert.equal(p.next(500), 50);
    assert.equal(p.next(20), 20, 'never beyond the limit');
    p.observe(50, 400); // a slow chunk (8 ms a step): shrink
    assert.equal(p.next(500), 12);
    p.observe(1, 350); // a step longer than the budget: one step at a time, never none
    assert.equal(p.next(500), 1);
    p.observe(10, 0); // too fast to measure: the limit
    assert.equal(p.next(500), 500);
    p.observe(0, 50); // a chunk that ran no step teaches nothing
    assert.equal(p.next(500), 500);
    assert.equal(p.next(0), 0);
  });
});
