import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIF_FAULTED, LIF_GUARDED, LIF_PLAIN, lifGuardCap, lifRun, lifRunFaulted, lifRunGuarded, lifRunPlain, lifStoppedAt } from '../../../kernels/cpu/lif_run.js';
import type { FusedPoisson, LifBuffers, LifKernelParams } from '../../../kernels/cpu/lif_step.js';
import { lifStep } from '../../../kernels/cpu/lif_step.js';
import { FAULT_PARAM_STRIDE } from '../../../kernels/cpu/neuron_fault.js';
import { poissonDrive, poissonTable } from '../../../kernels/cpu/poisson_drive.js';
import { copyLifBuffers, seededLifBuffers } from '../../helpers/lif-buffers.js';

const K: LifKernelParams = { restingMv: -65, thresholdMv: -50, resetMv: -65, dcPa: 120, p22: 0.99501, p20: 0.000398, p11ex: 0.81873, p11in: 0.81873, p21ex: 0.00036, p21in: 0.00036, refractorySteps: 20 };
const N = 96;

/** A state with spiking, refractory and faulted neurons, hostile values at a few, from a seed. */
function buffers(seed: number): LifBuffers {
  const st = seededLifBuffers(N, seed);
  st.faultCode.set(Uint8Array.from({ length: N }, (_, i) => (i % 5 === 2 ? 1 + (i % 4) : 0)));
  st.faultParams.fill(0.5);
  st.ringExcPa[(seed * 5) % N] = Number.NaN;
  st.currentInhPa[(seed * 11 + 3) % N] = Number.POSITIVE_INFINITY;
  st.ringInhPa[(seed * 13 + 1) % N] = -1e9;
  return st;
}

const copy = copyLifBuffers;

describe('lifRun, one source for the three CPU LIF kernels', () => {
  it('runs as three functions of its own, each equal to lifRun in its mode (stops, spikes and every buffer)', () => {
    assert.equal(new Set([lifRun, lifRunPlain, lifRunGuarded, lifRunFaulted]).size, 4);
    const table = poissonTable(3.2);
    for (let seed = 0; seed < 12; seed++) {
      for (const [mode, run] of [[LIF_PLAIN, lifRunPlain], [LIF_GUARDED, lifRunGuarded], [LIF_FAULTED, lifRunFaulted]] as const) {
        const poisson: FusedPoisson | null = seed % 2 === 1 ? { table, weightPa: 87.81, key: 0x9e3779b9 + seed } : null;
        const a = buffers(seed);
        const b = copy(a);
        const spikesA = new Int32Array(N);
        const spikesB = new Int32Array(N);
        lifGuardCap[0] = seed % 3 === 0 ? 50 : 1e5;
        // Resume after each stop, as the kernels do (the stopped neuron itself is left as it was).
        for (let i = seed % 4, ca = 0, cb = 0; i < N; ) {
          ca = run(K, poisson, i, N, 0, 0, a, spikesA, ca);
          const stopA = lifStoppedAt();
          cb = lifRun(mode, false, K, poisson, i, N, 0, 0, b, spikesB, cb);
          assert.equal(lifStoppedAt(), stopA, `seed ${seed}, mode ${mode}: stop`);
          assert.equal(ca, cb);
          if (mode === LIF_PLAIN) assert.equal(stopA, N, 'the plain run never stops');
          i = stopA + 1;
        }
        assert.deepEqual(spikesA, spikesB, `seed ${seed}, mode ${mode}`);
        assert.deepEqual(a, b, `seed ${seed}, mode ${mode}`);
      }
    }
  });

  it('fuses the Poisson drive bit for bit as PoissonDrive into the ring followed by the unfused update', () => {
    const table = poissonTable(4.7);
    for (let seed = 0; seed < 6; seed++) {
      const fused = buffers(seed);
      const separate = copy(fused);
      fused.ringExcPa.fill(12.25);
      separate.ringExcPa.fill(12.25);
      const key = 0x51ed27 * (seed + 1);
      const spikesA = new Int32Array(N);
      const spikesB = new Int32Array(N);
      const na = lifStep(K, { table, weightPa: 87.81, key }, 2, N - 1, 0, 0, fused, spikesA, 0);
      poissonDrive(table, 1, 87.81, key, 2, N - 1, 0, separate.ringExcPa);
      const nb = lifStep(K, null, 2, N - 1, 0, 0, separate, spikesB, 0);
      assert.equal(na, nb);
      assert.deepEqual(fused, separate, `seed ${seed}`);
      assert.deepEqual(spikesA.subarray(0, na), spikesB.subarray(0, nb));
    }
  });
});

describe('lifRun where code generation is refused', () => {
  it('falls back to the shared loop with the same results (node --disallow-code-generation-from-strings)', async () => {
    const { execFileSync } = await import('node:child_process');
    const here = new URL('.', import.meta.url).pathname;
    // The same seeds through both processes: the spike lists and states must agree.
    const script = `
      const { lifStep } = await import(${JSON.stringify(`${here}../../../kernels/cpu/lif_step.js`)});
      const { lifStepGuarded } = await import(${JSON.stringify(`${here}../../../kernels/cpu/lif_step_guarded.js`)});
      const { lifStepFaulted } = await import(${JSON.stringify(`${here}../../../kernels/cpu/lif_step_faulted.js`)});
      const { lifRunPlain } = await import(${JSON.stringify(`${here}../../../kernels/cpu/lif_run.js`)});
      const n = 64, out = [];
      const K = ${JSON.stringify(K)};
      for (const run of ['plain', 'guarded', 'faulted']) {
        const st = { membraneMv: new Float32Array(n), currentExcPa: new Float32Array(n), currentInhPa: new Float32Array(n), refractorySteps: new Int32Array(n), ringExcPa: new Float32Array(n), ringInhPa: new Float32Array(n), faultCode: new Uint8Array(n), faultParams: new Float32Array(n * 6) };
        for (let i = 0; i < n; i++) { st.membraneMv[i] = -66 + (i % 17); st.ringExcPa[i] = i % 7 === 0 ? 2e5 : 40 + i; st.faultCode[i] = i % 9 === 4 ? 1 + (i % 4) : 0; st.refractorySteps[i] = i % 11 === 0 ? 3 : 0; }
        const spikes = new Int32Array(n);
        const guard = { capPa: 1e5, quarantineSteps: 100, counters: new Float64Array(2), slot: 0 };
        const c = run === 'plain' ? lifStep(K, null, 0, n, 0, 0, st, spikes, 0) : run === 'guarded' ? lifStepGuarded(K, null, guard, 0, n, 0, 0, st, spikes, 0) : lifStepFaulted(K, null, 0, n, 0, 0, st, spikes, 0);
        out.push([...spikes.subarray(0, c)], [...st.membraneMv], [...st.currentExcPa], [...st.refractorySteps], [...guard.counters]);
      }
      out.push(lifRunPlain.name);
      console.log(JSON.stringify(out));`;
    const run = (flags: string[]) => JSON.parse(execFileSync(process.execPath, [...flags, '--input-type=module', '-e', script], { encoding: 'utf8' })) as unknown[];
    const generated = run([]);
    const refused = run(['--disallow-code-generation-from-strings']);
    assert.equal(generated.pop(), 'lifRunPlain', 'the per-mode function was generated');
    assert.notEqual(refused.pop(), 'lifRunPlain', 'the fallback ran');
    assert.deepEqual(refused, generated);
  });
});
