import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { stepKey } from '../../../kernels/cpu/counter_rng.js';
import { poissonDrive, poissonFromBits, poissonParts, poissonTable } from '../../../kernels/cpu/poisson_drive.js';

function moments(lambda: number, n = 20000) {
  const parts = poissonParts(lambda);
  const table = poissonTable(lambda / parts);
  const ring = new Float32Array(n);
  for (let step = 0; step < 10; step++) poissonDrive(table, parts, 1, stepKey(9, 0, step, 0), 0, n, 0, ring);
  let mean = 0;
  let sq = 0;
  for (const x of ring) {
    mean += x;
    sq += x * x;
  }
  mean /= n;
  return { mean: mean / 10, variance: sq / n - mean * mean };
}

describe('PoissonDrive', () => {
  for (const lambda of [0.05, 1.6, 12, 95]) {
    it(`has mean and variance 10 * lambda over 10 steps for lambda = ${lambda}`, () => {
      const { mean, variance } = moments(lambda);
      assert.ok(Math.abs(mean - lambda) < 0.02 * lambda + 0.005, `mean ${mean}`);
      assert.ok(Math.abs(variance / (10 * lambda) - 1) < 0.06, `variance ${variance}`);
    });
  }

  it('matches plain inversion of the CDF for every table bucket (the lookup table only accelerates)', () => {
    const table = poissonTable(2.3);
    for (let h = 0; h < 2 ** 32; h += 7919 * 1021) {
      let k = 0;
      while (h > table.thresholds[k]) k++;
      assert.equal(poissonFromBits(table, h), k);
    }
  });

  it('gives each neuron the same input however the range is split', () => {
    const table = poissonTable(1.6);
    const whole = new Float32Array(1000);
    const split = new Float32Array(1000);
    const key = stepKey(3, 2, 77, 5);
    poissonDrive(table, 1, 87.8, key, 0, 1000, 0, whole);
    poissonDrive(table, 1, 87.8, key, 0, 333, 0, split);
    poissonDrive(table, 1, 87.8, key, 333, 1000, 0, split);
    assert.deepEqual(whole, split);
  });
});
