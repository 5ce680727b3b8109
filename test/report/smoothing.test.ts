import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SMOOTH_TARGET_POINTS, smoothingWindowMs, windowMeans } from '../../src/report/smoothing.js';

test('smoothingWindowMs: no smoothing for short runs; a nice multiple of the interval for long ones', () => {
  assert.equal(smoothingWindowMs(600, 20), 20, 'a quick-tour experiment keeps every sample');
  assert.equal(smoothingWindowMs(SMOOTH_TARGET_POINTS * 20, 20), 20);
  // 31 s of 20 ms samples: 1550 samples, at most 150 points -> windows of at least 206.7 ms; 250 ms is not a whole number of samples -> 500 ms.
  assert.equal(smoothingWindowMs(31000, 20), 500);
  assert.equal(smoothingWindowMs(31000, 10), 250);
  assert.equal(smoothingWindowMs(4000, 20.5), 41, 'an odd interval: a whole number of samples per window');
});

test('windowMeans: means over (a, a + w] windows, placed at the last sample; non-finite values left out', () => {
  const xs = [20, 40, 60, 80, 100, 120];
  const ys = [1, 3, NaN, 5, 7, 9];
  assert.deepEqual(windowMeans(xs, ys, 40), { xs: [40, 80, 120], ys: [2, 5, 8] });
  assert.deepEqual(windowMeans(xs, ys, 20), { xs, ys }, 'a window of one sample returns the input');
  const empty = windowMeans([20, 40, 60, 80], [NaN, NaN, 1, 1], 40);
  assert.ok(Number.isNaN(empty.ys[0]), 'a window without a finite value is NaN (a gap in the line)');
  assert.equal(empty.ys[1], 1);
});
