import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIF_FAULTED, LIF_GUARDED, LIF_PLAIN, lifGuardCap, lifRun, lifRunFaultedF32, lifRunGuardedF32, lifRunPlainF32, lifStoppedAt } from '../../../kernels/cpu/lif_run.js';
import { lifStep, lifStepF32, type GuardKernel, type LifBuffers, type LifKernelParams } from '../../../kernels/cpu/lif_step.js';
import { lifStepFaultedF32 } from '../../../kernels/cpu/lif_step_faulted.js';
import { lifStepGuardedF32 } from '../../../kernels/cpu/lif_step_guarded.js';
import { FAULT_DRIFT, FAULT_PARAM_STRIDE } from '../../../kernels/cpu/neuron_fault.js';
import { poissonTable } from '../../../kernels/cpu/poisson_drive.js';
import { copyLifBuffers, seededLifBuffers } from '../../helpers/lif-buffers.js';

const f = Math.fround;
/** Parameters as planKernels gives them for precision float32: each rounded to float32 once. */
const K: LifKernelParams = { restingMv: -65, thresholdMv: -50, resetMv: -65, dcPa: f(120.3), p22: f(0.99501), p20: f(0.000398), p11ex: f(0.81873), p11in: f(0.95123), p21ex: f(0.00036), p21in: f(0.00041), refractorySteps: 20 };
const N = 77;

const buffers = (seed: number): LifBuffers => seededLifBuffers(N, seed);
const copy = copyLifBuffers;
const guard = (capPa = 1e5): GuardKernel => ({ capPa, quarantineSteps: 100, counters: new Float64Array(2), slot: 0 });

/**
 * The single-precision update and guards written plainly, one neuron at a
 * time: every operation of `el + (vm - el) * p22 + dcTerm + ex * p21ex +
 * inh * p21in` (left to right) and of `ex * p11ex + arriving` rounded to
 * float32, dcTerm = f32(p20 * dcPa).
 */
function reference(st: LifBuffers, spikes: Int32Array, g: { cap: number; counters: number[] } | null): number {
  const F32_MAX = 3.4028234663852886e38;
  const clamp = (x: number, cap: number) => (Number.isNaN(x) ? 0 : Math.min(cap, Math.max(-cap, x)));
  const dcTerm = f(K.p20 * K.dcPa);
  let count = 0;
  for (let i = 0; i < N; i++) {
    let ex = st.ringExcPa[i];
    let inh = st.ringInhPa[i];
    st.ringExcPa[i] = 0;
    st.ringInhPa[i] = 0;
    if (g && !(Math.abs(ex) <= g.cap && Math.abs(inh) <= g.cap)) {
      ex = clamp(ex, g.cap);
      inh = clamp(inh, g.cap);
      g.counters[1]++;
    }
    const vm0 = st.membraneMv[i];
    const integrated = f(f(f(f(K.restingMv + f(f(vm0 - K.restingMv) * K.p22)) + dcTerm) + f(st.currentExcPa[i] * K.p21ex)) + f(st.currentInhPa[i] * K.p21in));
    if (g && !(Math.abs(integrated) <= F32_MAX)) {
      st.membraneMv[i] = K.resetMv;
      st.currentExcPa[i] = 0;
      st.currentInhPa[i] = 0;
      st.refractorySteps[i] = 100;
      g.counters[0]++;
      continue;
    }
    st.currentExcPa[i] = f(f(st.currentExcPa[i] * K.p11ex) + ex);
    st.currentInhPa[i] = f(f(st.currentInhPa[i] * K.p11in) + inh);
    let vm = vm0;
    if (st.refractorySteps[i] === 0) vm = integrated;
    else st.refractorySteps[i]--;
    if (vm >= K.thresholdMv) {
      st.refractorySteps[i] = K.refractorySteps;
      vm = K.resetMv;
      spikes[count++] = i;
    }
    st.membraneMv[i] = vm;
  }
  return count;
}

describe('the single-precision CPU LIF kernels (precision float32)', () => {
  it('lifStepF32 equals the neuron-by-neuron float32 reference, and differs from the float64 update (it rounds every operation)', () => {
    let differs = false;
    for (let seed = 0; seed < 10; seed++) {
      const a = buffers(seed);
      const b = copy(a);
      const c = copy(a);
      const spikesA = new Int32Array(N);
      const spikesB = new Int32Array(N);
      const na = lifStepF32(K, null, 0, N, 0, 0, a, spikesA, 0);
      const nb = reference(b, spikesB, null);
      assert.deepEqual([...spikesA.subarray(0, na)], [...spikesB.subarray(0, nb)], `seed ${seed}`);
      assert.deepEqual(a, b, `seed ${seed}`);
      lifStep(K, null, 0, N, 0, 0, c, new Int32Array(N), 0);
      differs ||= a.membraneMv.some((v, i) => v !== c.membraneMv[i]);
    }
    assert.ok(differs, 'float32 and float64 arithmetic part somewhere');
  });

  it('lifStepGuardedF32 equals the float32 reference of the guards, hostile values anywhere (the slow path rounds as the loop does)', () => {
    const hostile = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e9, -1e9, 3.3e38];
    for (let seed = 0; seed < 20; seed++) {
      const a = buffers(seed);
      for (let j = 0; j < 6; j++) {
        const i = j === 0 ? 0 : j === 1 ? N - 1 : (seed * 13 + j * 7) % N;
        const field = (['ringExcPa', 'ringInhPa', 'membraneMv', 'currentExcPa', 'currentInhPa'] as const)[(seed + 2 * j) % 5];
        a[field][i] = hostile[(seed + j) % hostile.length];
      }
      // Inputs just over a cap that is not a float32, and a finite neuron the clamp leaves running.
      const cap = seed % 2 === 0 ? 1e5 : 70.1;
      const b = copy(a);
      const g = guard(cap);
      const counters = [0, 0];
      const spikesA = new Int32Array(N);
      const spikesB = new Int32Array(N);
      const na = lifStepGuardedF32(K, null, g, 0, N, 0, 0, a, spikesA, 0);
      const nb = reference(b, spikesB, { cap, counters });
      assert.deepEqual([...spikesA.subarray(0, na)], [...spikesB.subarray(0, nb)], `seed ${seed}`);
      assert.deepEqual(a, b, `seed ${seed}`);
      assert.deepEqual([...g.counters], counters, `seed ${seed}`);
      assert.ok(counters[0] + counters[1] > 0, `seed ${seed}: the guards acted`);
    }
  });

  it('lifStepGuardedF32 equals lifStepF32 where nothing fails a guard', () => {
    for (let seed = 0; seed < 5; seed++) {
      const a = buffers(seed);
      const b = copy(a);
      const g = guard();
      const na = lifStepF32(K, null, 0, N, 0, 0, a, new Int32Array(N), 0);
      const nb = lifStepGuardedF32(K, null, g, 0, N, 0, 0, b, new Int32Array(N), 0);
      assert.equal(na, nb);
      assert.deepEqual(a, b);
      assert.deepEqual([...g.counters], [0, 0]);
    }
  });

  it('lifStepFaultedF32: healthy neurons as lifStepF32, a drifted neuron with its own float32 parameters too, in float32', () => {
    for (let seed = 0; seed < 6; seed++) {
      const a = buffers(seed);
      // Every third neuron "drifted" to the population's own parameters (dcTerm as the kernel computes it): the same update.
      for (let i = 0; i < N; i += 3) {
        a.faultCode[i] = FAULT_DRIFT;
        a.faultParams.set([K.thresholdMv, K.p22, f(K.p20 * K.dcPa), K.p21ex, K.p21in, K.refractorySteps], i * FAULT_PARAM_STRIDE);
      }
      const b = copy(a);
      const na = lifStepFaultedF32(K, null, 0, N, 0, 0, a, new Int32Array(N), 0);
      const nb = lifStepF32(K, null, 0, N, 0, 0, b, new Int32Array(N), 0);
      assert.equal(na, nb, `seed ${seed}`);
      assert.deepEqual(a, b, `seed ${seed}`);
    }
  });

  it('runs as three functions of their own, each equal to lifRun in its mode with f32 (stops, spikes and every buffer)', () => {
    assert.equal(new Set([lifRunPlainF32, lifRunGuardedF32, lifRunFaultedF32]).size, 3);
    assert.equal(lifRunPlainF32.name, 'lifRunPlainF32', 'generated from lifRun\'s source');
    const table = poissonTable(3.2);
    for (let seed = 0; seed < 8; seed++) {
      for (const [mode, run] of [[LIF_PLAIN, lifRunPlainF32], [LIF_GUARDED, lifRunGuardedF32], [LIF_FAULTED, lifRunFaultedF32]] as const) {
        const poisson = seed % 2 === 1 ? { table, weightPa: 87.81, key: 0x9e3779b9 + seed } : null;
        const a = buffers(seed);
        a.ringExcPa[seed % N] = Number.NaN;
        a.currentInhPa[(seed * 11 + 3) % N] = Number.POSITIVE_INFINITY;
        for (let i = 0; i < N; i += 5) a.faultCode[i] = 1 + (i % 4);
        a.faultParams.fill(0.5);
        const b = copy(a);
        const spikesA = new Int32Array(N);
        const spikesB = new Int32Array(N);
        lifGuardCap[0] = 1e5;
        for (let i = 0, ca = 0, cb = 0; i < N; ) {
          ca = run(K, poisson, i, N, 0, 0, a, spikesA, ca);
          const stop = lifStoppedAt();
          cb = lifRun(mode, true, K, poisson, i, N, 0, 0, b, spikesB, cb);
          assert.equal(lifStoppedAt(), stop);
          assert.equal(ca, cb);
          i = stop + 1;
        }
        assert.deepEqual(spikesA, spikesB, `seed ${seed}, mode ${mode}`);
        assert.deepEqual(a, b, `seed ${seed}, mode ${mode}`);
      }
    }
  });
});
