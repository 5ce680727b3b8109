import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lifStep, type GuardKernel, type LifBuffers, type LifKernelParams } from '../../../kernels/cpu/lif_step.js';
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

/** The kernels' view of a test state (the same arrays). */
function buffers(s: ReturnType<typeof state>): LifBuffers {
  return { membraneMv: s.v, currentExcPa: s.iEx, currentInhPa: s.iIn, refractorySteps: s.ref, ringExcPa: s.ringEx, ringInhPa: s.ringIn, faultCode: new Uint8Array(N), faultParams: new Float32Array(N * 6) };
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
        const na = lifStep(K, null, 0, N, 0, 0, buffers(a), spikesA, 0);
        const nb = lifStepGuarded(K, null, g, 0, N, 0, 0, buffers(b), spikesB, 0);
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
    lifStepGuarded(K, null, g, 0, N, 0, 0, buffers(s), new Int32Array(N), 0);
    assert.ok(s.iEx[3] <= 1e5 + 400 * 0.8 + 1, `capped: ${s.iEx[3]}`);
    assert.ok(Number.isFinite(s.iIn[4]));
    assert.deepEqual([s.v[5], s.iEx[5], s.iIn[5], s.ref[5]], [-65, 0, 0, 100]);
    for (let i = 0; i < N; i++) assert.ok(Number.isFinite(s.v[i] + s.iEx[i] + s.iIn[i]), `neuron ${i}`);
    assert.deepEqual([...g.counters], [1, 2]);
  });

  it('contains a refractory neuron with a non-finite current, and a neuron that would overflow float32, without a spike', () => {
    const s = state(2);
    const g = guard();
    const spikes = new Int32Array(N);
    s.iIn[7] = Number.NEGATIVE_INFINITY; // neuron 7 is refractory (7 % 7 === 0)
    s.v[8] = Number.POSITIVE_INFINITY; // above threshold: unguarded, it would spike
    s.v[9] = 3.4e38; // finite, but the update would pass float32's range
    s.iEx[9] = 3e38;
    const count = lifStepGuarded({ ...K, p21ex: 1 }, null, g, 0, N, 0, 0, buffers(s), spikes, 0);
    for (const i of [7, 8, 9]) assert.deepEqual([s.v[i], s.iEx[i], s.iIn[i], s.ref[i]], [-65, 0, 0, 100], `neuron ${i}`);
    assert.ok(![...spikes.subarray(0, count)].some((i) => i === 7 || i === 8 || i === 9));
    for (let i = 0; i < N; i++) assert.ok(Number.isFinite(s.v[i] + s.iEx[i] + s.iIn[i]), `neuron ${i}`);
    assert.deepEqual([...g.counters], [3, 0]);
  });

  it('equals a neuron-by-neuron reference of the guards, anomalies anywhere in the range', () => {
    const F32_MAX = 3.4028234663852886e38;
    const clamp = (x: number, cap: number) => (Number.isNaN(x) ? 0 : Math.min(cap, Math.max(-cap, x)));
    // The guards' rules written plainly, one neuron at a time.
    function reference(s: ReturnType<typeof state>, cap: number, quarantine: number, spikes: Int32Array, counters: number[]): number {
      let count = 0;
      for (let i = 0; i < N; i++) {
        let ex = s.ringEx[i];
        let inh = s.ringIn[i];
        s.ringEx[i] = 0;
        s.ringIn[i] = 0;
        if (!(Math.abs(ex) <= cap && Math.abs(inh) <= cap)) {
          ex = clamp(ex, cap);
          inh = clamp(inh, cap);
          counters[1]++;
        }
        const integrated = K.restingMv + (s.v[i] - K.restingMv) * K.p22 + K.p20 * K.dcPa + s.iEx[i] * K.p21ex + s.iIn[i] * K.p21in;
        if (!(Math.abs(integrated) <= F32_MAX)) {
          [s.v[i], s.iEx[i], s.iIn[i], s.ref[i]] = [K.resetMv, 0, 0, quarantine];
          counters[0]++;
          continue;
        }
        s.iEx[i] = s.iEx[i] * K.p11ex + ex;
        s.iIn[i] = s.iIn[i] * K.p11in + inh;
        let vm = s.v[i];
        if (s.ref[i] === 0) vm = integrated;
        else s.ref[i]--;
        if (vm >= K.thresholdMv) {
          s.ref[i] = K.refractorySteps;
          vm = K.resetMv;
          spikes[count++] = i;
        }
        s.v[i] = vm;
      }
      return count;
    }
    const hostile = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e9, -1e9, 3.3e38];
    for (let seed = 0; seed < 20; seed++) {
      const a = state(seed);
      const b = state(seed);
      // A few anomalies in inputs and state, at neurons that depend on the seed (first, last and adjacent ones included).
      for (let j = 0; j < 6; j++) {
        const i = j === 0 ? 0 : j === 1 ? N - 1 : (seed * 13 + j * 7) % N;
        const x = hostile[(seed + j) % hostile.length];
        const field = (['ringEx', 'ringIn', 'v', 'iEx', 'iIn'] as const)[(seed + 2 * j) % 5];
        a[field][i] = x;
        b[field][i] = x;
      }
      const g = guard();
      const counters = [0, 0];
      const spikesA = new Int32Array(N);
      const spikesB = new Int32Array(N);
      const na = lifStepGuarded(K, null, g, 0, N, 0, 0, buffers(a), spikesA, 0);
      const nb = reference(b, g.capPa, g.quarantineSteps, spikesB, counters);
      assert.deepEqual([...spikesA.subarray(0, na)], [...spikesB.subarray(0, nb)], `seed ${seed}`);
      assert.deepEqual([a.v, a.iEx, a.iIn, a.ref, a.ringEx, a.ringIn], [b.v, b.iEx, b.iIn, b.ref, b.ringEx, b.ringIn], `seed ${seed}`);
      assert.deepEqual([...g.counters], counters, `seed ${seed}`);
    }
  });
});
