import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pooledCvByWindow } from '../../src/engine/isi-stats.js';
import { StreamRng } from '../../src/util/rng.js';

describe('pooled CV of inter-spike intervals', () => {
  it('is 0 for clock-like firing and about 1 for Poisson firing', () => {
    const regular: number[] = [];
    for (let s = 0; s < 10000; s += 50) regular.push(s, 3);
    assert.equal(pooledCvByWindow(Int32Array.from(regular), 10, [[0, 10000]])[0], 0);
    const rng = new StreamRng('poisson');
    const poisson: number[] = [];
    for (let s = 0; s < 200000; s++) if (rng.uniform() < 0.02) poisson.push(s, 1);
    const cv = pooledCvByWindow(Int32Array.from(poisson), 10, [[0, 200000]])[0];
    assert.ok(Math.abs(cv - 1) < 0.05, `cv ${cv}`);
  });
});
