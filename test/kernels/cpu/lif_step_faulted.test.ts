import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FusedPoisson, LifBuffers, LifKernelParams } from '../../../kernels/cpu/lif_step.js';
import { lifStepFaulted } from '../../../kernels/cpu/lif_step_faulted.js';
import { FAULT_DEAD, FAULT_DRIFT, FAULT_PARAM_STRIDE, FAULT_SATURATED, FAULT_STUCK } from '../../../kernels/cpu/neuron_fault.js';
import { bitsAt } from '../../../kernels/cpu/counter_rng.js';
import { poissonFromBits, poissonTable } from '../../../kernels/cpu/poisson_drive.js';

const K: LifKernelParams = { restingMv: -65, thresholdMv: -50, resetMv: -70, dcPa: 200, p22: 0.99501, p20: 0.000398, p11ex: 0.81873, p11in: 0.90484, p21ex: 0.00036, p21in: 0.00037, refractorySteps: 20 };
const N = 80;
const OFFSET = 5; // state and ring offsets: the kernel must index through them

function buffers(seed: number): LifBuffers {
  const x = (i: number, j: number) => Math.sin(seed * 104729 + i * 17 + j * 3) * 0.5 + 0.5;
  const m = N + OFFSET;
  const st: LifBuffers = {
    membraneMv: Float32Array.from({ length: m }, (_, i) => -72 + 25 * x(i, 0)),
    currentExcPa: Float32Array.from({ length: m }, (_, i) => 600 * x(i, 1)),
    currentInhPa: Float32Array.from({ length: m }, (_, i) => -300 * x(i, 2)),
    refractorySteps: Int32Array.from({ length: m }, (_, i) => (x(i, 3) < 0.25 ? 1 + Math.floor(5 * x(i, 4)) : 0)),
    ringExcPa: Float32Array.from({ length: m }, (_, i) => 80 * x(i, 5)),
    ringInhPa: Float32Array.from({ length: m }, (_, i) => -80 * x(i, 6)),
    // Runs of faulted neurons, single ones, and the first and last of the range.
    faultCode: Uint8Array.from({ length: m }, (_, i) => (i === OFFSET || i === m - 1 || x(i, 7) < 0.35 ? 1 + Math.floor(4 * x(i, 8)) : 0)),
    faultParams: new Float32Array(m * FAULT_PARAM_STRIDE),
  };
  for (let s = 0; s < m; s++) st.faultParams.set([-58 + 12 * x(s, 9), 0.98, 0.05 * x(s, 10), 0.0004, 0.0003, 3 + Math.floor(10 * x(s, 11))], s * FAULT_PARAM_STRIDE);
  return st;
}

/** NEST's update and the fault rules written plainly, one neuron at a time. */
function reference(st: LifBuffers, poisson: FusedPoisson | null, spikes: Int32Array): number {
  let count = 0;
  for (let i = 0; i < N; i++) {
    const s = OFFSET + i;
    let arriving = st.ringExcPa[s];
    if (poisson) arriving = Math.fround(arriving + poissonFromBits(poisson.table, bitsAt(poisson.key, i)) * poisson.weightPa);
    const ex = st.currentExcPa[s];
    const inh = st.currentInhPa[s];
    const vm = st.membraneMv[s];
    const ref = st.refractorySteps[s];
    st.currentExcPa[s] = ex * K.p11ex + arriving;
    st.currentInhPa[s] = inh * K.p11in + st.ringInhPa[s];
    st.ringExcPa[s] = 0;
    st.ringInhPa[s] = 0;
    const p = st.faultParams.subarray(s * FAULT_PARAM_STRIDE, (s + 1) * FAULT_PARAM_STRIDE);
    const code = st.faultCode[s];
    const drifted = code === FAULT_DRIFT;
    const [th, p22, dcTerm, p21ex, p21in, refractorySteps] = drifted ? [...p] : [K.thresholdMv, K.p22, K.p20 * K.dcPa, K.p21ex, K.p21in, K.refractorySteps];
    let fired = false;
    if (code === FAULT_DEAD) {
      st.membraneMv[s] = K.resetMv;
      if (ref > 0) st.refractorySteps[s] = ref - 1;
    } else if (code === FAULT_SATURATED) {
      st.membraneMv[s] = K.resetMv;
      st.refractorySteps[s] = ref > 0 ? ref - 1 : K.refractorySteps;
      fired = ref === 0;
    } else if (code === FAULT_STUCK) {
      st.membraneMv[s] = p[0];
      if (ref > 0) st.refractorySteps[s] = ref - 1;
      else if (p[0] >= K.thresholdMv) {
        st.refractorySteps[s] = K.refractorySteps;
        fired = true;
      }
    } else {
      const next = ref === 0 ? K.restingMv + (vm - K.restingMv) * p22 + dcTerm + ex * p21ex + inh * p21in : vm;
      if (ref > 0) st.refractorySteps[s] = ref - 1;
      fired = next >= th;
      st.membraneMv[s] = fired ? K.resetMv : next;
      if (fired) st.refractorySteps[s] = refractorySteps;
    }
    if (fired) spikes[count++] = i;
  }
  return count;
}

describe('LifStep for ranges with faulted neurons', () => {
  it('equals NEST order with the fault rules written neuron by neuron, with and without the fused drive, over many steps', () => {
    const table = poissonTable(2.9);
    for (let seed = 0; seed < 10; seed++) {
      const a = buffers(seed);
      const b = buffers(seed);
      for (let step = 0; step < 30; step++) {
        const poisson: FusedPoisson | null = seed % 2 === 0 ? { table, weightPa: 87.81, key: 0x9e3779b9 ^ (seed * 1000 + step) } : null;
        const spikesA = new Int32Array(N);
        const spikesB = new Int32Array(N);
        const na = lifStepFaulted(K, poisson, 0, N, OFFSET, OFFSET, a, spikesA, 0);
        const nb = reference(b, poisson, spikesB);
        assert.deepEqual([...spikesA.subarray(0, na)], [...spikesB.subarray(0, nb)], `seed ${seed}, step ${step}`);
        assert.deepEqual(a, b, `seed ${seed}, step ${step}`);
        for (let s = OFFSET; s < N + OFFSET; s++) {
          a.ringExcPa[s] = b.ringExcPa[s] = (s * 7 + step) % 9 === 0 ? 400 : 15.5;
          a.ringInhPa[s] = b.ringInhPa[s] = -7.25;
        }
      }
    }
  });

  it('leaves the neurons outside [from, to) alone', () => {
    const a = buffers(3);
    const before = buffers(3);
    lifStepFaulted(K, null, 10, 40, OFFSET, OFFSET, a, new Int32Array(N), 0);
    for (const key of Object.keys(a) as (keyof LifBuffers)[]) {
      const x = a[key];
      const y = before[key];
      const stride = key === 'faultParams' ? FAULT_PARAM_STRIDE : 1;
      assert.deepEqual(x.subarray(0, (OFFSET + 10) * stride), y.subarray(0, (OFFSET + 10) * stride), key);
      assert.deepEqual(x.subarray((OFFSET + 40) * stride), y.subarray((OFFSET + 40) * stride), key);
    }
  });
});
