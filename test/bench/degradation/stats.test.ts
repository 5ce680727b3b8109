import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logSpace, meanCi } from '../../../bench/degradation/stats.js';

test('mean with a 95% t interval', () => {
  const r = meanCi([1, 2, 3, 4]);
  assert.equal(r.mean, 2.5);
  assert.ok(Math.abs(r.sd - Math.sqrt(5 / 3)) < 1e-12);
  // t(0.975, 3) = 3.182
  assert.ok(Math.abs(r.hi - (2.5 + (3.182 * Math.sqrt(5 / 3)) / 2)) < 1e-9);
  assert.equal(r.n, 4);
});

test('one trial has no spread; non-finite trials are left out; none is NaN', () => {
  assert.deepEqual(meanCi([7]), { mean: 7, lo: 7, hi: 7, sd: 0, n: 1 });
  assert.equal(meanCi([1, NaN, 3]).n, 2);
  assert.ok(Number.isNaN(meanCi([]).mean));
});

test('log-spaced points from 0.01% to 50%', () => {
  const xs = logSpace(1e-4, 0.5, 5);
  assert.equal(xs.length, 5);
  assert.equal(xs[0], 1e-4);
  assert.equal(xs[4], 0.5);
  for (let k = 1; k < 5; k++) assert.ok(Math.abs(xs[k] / xs[k - 1] - (0.5 / 1e-4) ** 0.25) < 0.02 * xs[k] / xs[k - 1]);
});
