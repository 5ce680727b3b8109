import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lifStep, type GuardKernel, type LifKernelParams } from '../../../kernels/cpu/lif_step.js';
import { lifStepGuarded } from '../../../kernels/cpu/lif_step_guarded.js';

const K: LifKernelParams = { restingMv: -65, thresholdMv: -50, resetMv: -65, dcPa: 0, p22: 0.99, p20: 0.0004, p11ex: 0.8, p11in: 0.95, p21ex: 0.0003, p21in: 0.0003, refractorySteps: 20 };
const N = 64;

function state(seed: number) {
  const v = new Float32Array(N);
  const iEx = new Float32Array(N);
  const iIn = new Float32Array(N);
  const ref = new Int32Array(N);
  const ringEx = new Float32Array(N);
  const ringIn = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const x = Math.sin(seed * 1000 + i) * 0.5 + 0.5;
    v[i] = -70 + 25 * x;
    iEx[i] = 400 * x;
    iIn[i] = -300 * (1 - x);
    ref[i] = i % 7 === 0 ? 3 : 0;
    ringEx[i] = 50 * x;
    ringIn[i] = -20 * x;
  }
  return { v, iEx, iIn, ref, ringEx, ringIn };
}

const guard = (): GuardKernel => ({ capPa: 1e5, quarantineSteps: 100, counters: new Float64Array(2), slot: 0 });

describe('LifStep with fused guards', () => {
  it('is bit-identical to LifStep when nothing is non-finite or saturating, and counts nothing', () => {
    for (let seed = 0; seed < 5; seed++) {
      const a = state(seed);
      const b = state(seed);
      const g = guard();
      const spikesA = new Int32Array(N);
      const spikesB = new Int32Array(N);
      for (let step = 0; step < 50; step++) {
        const na = lifStep(K, null, 0, N, 0, 0, a.v, a.iEx, a.iIn, a.ref, a.ringEx, a.ringIn, spikesA, 0);
        const nb = lifStepGuarded(K, null, g, 0, N, 0, 0, b.v, b.iEx, b.iIn, b.ref, b.ringEx, b.ringIn, spikesB, 0);
        assert.equal(na, nb);
        assert.deepEqual(spikesA.subarray(0, na), spikesB.subarray(0, nb));
        a.ringEx.fill(30);
        b.ringEx.fill(30);
      }
      assert.deepEqual([a.v, a.iEx, a.iIn, a.ref], [b.v, b.iEx, b.iIn, b.ref]);
      assert.deepEqual([...g.counters], [0, 0]);
    }
  });

  it('caps saturating input, drops non-finite input, and contains a non-finite neuron', () => {
    const s = state(1);
    const g = guard();
    s.ringEx[3] = 1e9;
    s.ringIn[4] = Number.NaN;
    s.iEx[5] = Number.POSITIVE_INFINITY;
    lifStepGuarded(K, null, g, 0, N, 0, 0, s.v, s.iEx, s.iIn, s.ref, s.ringEx, s.ringIn, new Int32Array(N), 0);
    assert.ok(s.iEx[3] <= 1e5 + 400 * 0.8 + 1, `capped: ${s.iEx[3]}`);
    assert.ok(Number.isFinite(s.iIn[4]));
    assert.deepEqual([s.v[5], s.iEx[5], s.iIn[5], s.ref[5]], [-65, 0, 0, 100]);
    for (let i = 0; i < N; i++) assert.ok(Number.isFinite(s.v[i] + s.iEx[i] + s.iIn[i]), `neuron ${i}`);
    assert.deepEqual([...g.counters], [1, 2]);
  });
});
