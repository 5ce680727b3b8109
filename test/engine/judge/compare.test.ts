import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareWindows, smallestPValue } from '../../../src/engine/judge/compare.js';
import { windowBins } from '../../../src/engine/judge/probes.js';

const o = { minEffect: 0.1, alpha: 0.05, seedKey: 'test' };
const control = [10.1, 9.8, 10.3, 9.9, 10.0, 10.2, 9.7, 10.0];

describe('judge: treated against control windows', () => {
  it('a large significant change fails, with its effect, a 95% interval around it and the p-value', () => {
    const c = compareWindows(control, [5.1, 4.9, 5.2, 5.0, 4.8, 5.0], o);
    assert.equal(c.outcome, 'fail');
    assert.ok(Math.abs(c.effect! - -0.5) < 0.01, `effect ${c.effect}`);
    assert.ok(c.effectCi95![0] <= c.effect! && c.effect! <= c.effectCi95![1]);
    assert.ok(c.effectCi95![1] < -0.45 && c.effectCi95![0] > -0.55);
    assert.ok(c.pValue! < 0.01);
    assert.match(c.reason, /changed by -50\.\d% .* beyond the 10\.0% tolerance/);
    // p = (k + 1) / (n + 1) over n permutations, never 0 (Phipson & Smyth 2010): only the 1 in C(14, 6) = 3003
    // labellings that is the observed one reaches its difference, drawn k = 3 times in 10000 here.
    assert.ok(c.pValue! >= 1 / 10001);
    assert.ok(Math.abs(c.pValue! * 10001 - Math.round(c.pValue! * 10001)) < 1e-6, `${c.pValue} is k + 1 over 10001`);
    const few = compareWindows(control, [5.1, 4.9, 5.2, 5.0, 4.8, 5.0], { ...o, permutations: 99 }).pValue!;
    assert.ok(few >= 1 / 100 && Math.abs(few * 100 - Math.round(few * 100)) < 1e-6, `${few}`);
    assert.match(c.reason, /, p = 0\.000400 < 0\.05, /);
  });

  it('a significant but negligible change (3%) passes: the minimum effect size', () => {
    const c = compareWindows(control, control.map((x) => x * 1.03), o);
    assert.ok(c.pValue! < 0.05, `p ${c.pValue}`);
    assert.equal(c.outcome, 'pass');
    assert.match(c.reason, /within the 10\.0% tolerance/);
  });

  it('a large but not significant difference passes (noise)', () => {
    const c = compareWindows([1, 20, 3, 15, 0.5, 12], [2, 18, 1, 9, 0.2, 10], o);
    assert.ok(Math.abs(c.effect!) >= 0.1);
    assert.ok(c.pValue! >= 0.05);
    assert.equal(c.outcome, 'pass');
  });

  it('seeded: the same windows give the same p-value and interval; no data when the test cannot reach alpha or a side is empty', () => {
    assert.deepEqual(compareWindows(control, [8, 8.5, 7.9, 8.2], o), compareWindows(control, [8, 8.5, 7.9, 8.2], o));
    // 4 control and 1 treated windows: the smallest possible p is 2/5.
    const few = compareWindows([1, 2, 3, 4], [0], o);
    assert.equal(few.outcome, 'no-data');
    assert.match(few.reason, /smallest p-value they allow \(0\.400\)/);
    assert.equal(compareWindows([], [1, 2], o).outcome, 'no-data');
    assert.equal(compareWindows([0, 0, 0, 0], [1, 2, 3, 4], o).outcome, 'no-data');
  });

  it('smallestPValue is 2 / C(nc + nt, nt); windowBins holds the expected spikes asked for', () => {
    assert.ok(Math.abs(smallestPValue(8, 2) - 2 / 45) < 1e-12);
    assert.equal(smallestPValue(1, 1), 1);
    // 1000 neurons at 5 Hz: 5 spikes per ms, 200 spikes in 40 ms.
    assert.equal(windowBins(200, 1000, 5), 40);
    assert.equal(windowBins(200, 1000, 0), null);
  });
});
