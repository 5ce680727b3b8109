import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stepKey, uniformAt } from '../../../kernels/cpu/counter_rng.js';

describe('counter-based generator', () => {
  it('is uniform: chi-square over 64 bins within the 99.9% bound', () => {
    const bins = new Float64Array(64);
    const n = 640000;
    for (let i = 0; i < n; i++) bins[Math.floor(uniformAt(stepKey(1, 0, i >>> 10, 0), i & 1023) * 64)]++;
    let chi = 0;
    for (const b of bins) chi += (b - n / 64) ** 2 / (n / 64);
    assert.ok(chi < 103.4, `chi-square ${chi}`); // 63 degrees of freedom, p = 0.001
  });

  it('decorrelates neighbouring neurons, steps, replicas and streams', () => {
    const n = 100000;
    const pairs: [string, (i: number) => [number, number]][] = [
      ['neuron', (i) => [uniformAt(stepKey(1, 0, 5, 0), i), uniformAt(stepKey(1, 0, 5, 0), i + 1)]],
      ['step', (i) => [uniformAt(stepKey(1, 0, i, 0), 7), uniformAt(stepKey(1, 0, i + 1, 0), 7)]],
      ['replica', (i) => [uniformAt(stepKey(1, 0, i, 0), 7), uniformAt(stepKey(1, 1, i, 0), 7)]],
      ['stream', (i) => [uniformAt(stepKey(1, 0, i, 0), 7), uniformAt(stepKey(1, 0, i, 1), 7)]],
      ['seed', (i) => [uniformAt(stepKey(1, 0, i, 0), 7), uniformAt(stepKey(2, 0, i, 0), 7)]],
    ];
    for (const [what, draw] of pairs) {
      let sx = 0, sy = 0, sxy = 0, sxx = 0, syy = 0;
      for (let i = 0; i < n; i++) {
        const [x, y] = draw(i);
        sx += x; sy += y; sxy += x * y; sxx += x * x; syy += y * y;
      }
      const r = (sxy / n - (sx / n) * (sy / n)) / Math.sqrt((sxx / n - (sx / n) ** 2) * (syy / n - (sy / n) ** 2));
      assert.ok(Math.abs(r) < 0.015, `${what}: correlation ${r}`); // 4.7 sigma at n = 1e5
    }
  });

  it('depends only on its key', () => {
    assert.equal(uniformAt(stepKey(4, 1, 99, 2), 17), uniformAt(stepKey(4, 1, 99, 2), 17));
  });
});
