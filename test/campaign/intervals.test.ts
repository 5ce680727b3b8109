import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bootstrapMean, summarize, wilson } from '../../src/campaign/intervals.js';

test('Wilson interval stays in [0, 1], is not a point at 0 or n successes, and matches a published value', () => {
  for (const [k, n] of [[0, 10], [10, 10], [1, 3], [50, 100]]) {
    const w = wilson(k, n);
    assert.ok(w.lo >= 0 && w.hi <= 1 && w.lo <= w.p && w.p <= w.hi, `${k}/${n}`);
    assert.ok(w.hi - w.lo > 0, `${k}/${n} is an interval`);
  }
  // 0 of 10: [0, 0.2775] (Wilson 1927; e.g. Newcombe 1998, Stat. Med. 17:857, table II).
  assert.ok(Math.abs(wilson(0, 10).hi - 0.2775) < 1e-3);
});

test('values >= 0 get a bootstrap interval that never goes below 0; signed values a t interval', () => {
  const xs = [0, 0, 0, 0.1, 5];
  const s = summarize(xs.map((value) => ({ value })), 'nonneg', 'k');
  assert.equal(s.method, 'bootstrap');
  assert.ok(s.lo >= 0 && s.lo <= s.mean && s.mean <= s.hi && s.hi <= 5);
  // A t interval on the same values would go below 0: the range is why the bootstrap is used.
  const t = summarize(xs.map((value) => ({ value })), 'real', 'k');
  assert.equal(t.method, 't');
  assert.ok(t.lo < 0);
  assert.deepEqual(bootstrapMean(xs, 'same'), bootstrapMean(xs, 'same'), 'seeded: the same values give the same interval');
});

test('proportions pool their counts over trials', () => {
  const s = summarize([{ value: 0.5, count: 5, of: 10 }, { value: 1, count: 10, of: 10 }], 'proportion', 'k');
  assert.equal(s.method, 'wilson');
  assert.equal(s.mean, 0.75);
  assert.ok(s.lo > 0.5 && s.hi < 0.9);
});
