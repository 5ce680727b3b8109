import assert from 'node:assert/strict';
import { PerformanceObserver } from 'node:perf_hooks';
import { describe, it } from 'node:test';
import type { StepEffects } from '../../../src/backends/backend.js';
import { deliverStep, integrateStep } from '../../../src/backends/cpu-step.js';
import { WasmKernels } from '../../../src/backends/cpu/wasm-kernels.js';
import { WASM_STATE_ARRAYS, type WasmLifRunner } from '../../../src/backends/cpu/wasm-lif.js';
import { guardKernel, setupGuards } from '../../../src/backends/guards.js';
import { planKernels, type KernelPlan } from '../../../src/backends/kernel-plan.js';
import { PRECISIONS } from '../../../src/backends/precision.js';
import { allocateState, initializeState, type SimulationState } from '../../../src/backends/simulation-state.js';
import { partitionNeurons } from '../../../src/backends/workers/partition.js';
import { bindSharedState, createSharedWasmMemory, ShardWasmKernels } from '../../../src/backends/workers/shard-wasm.js';
import { sharedCpuModule } from '../../../src/backends/workers/shared-wasm-module.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { smallNetworkSpec } from '../../helpers/networks.js';

const NO_EFFECTS: StepEffects = { storms: [], partitions: [] };
const net = buildNetwork(smallNetworkSpec(203), { seed: 8 });
const plans = { float64: planKernels(net, 'float64'), float32: planKernels(net, 'float32') };

/**
 * 250 steps of integrateStep (with `wasm`, or the JavaScript kernels with
 * null) and the JavaScript delivery, guards on or off, with saturating,
 * NaN and infinite inputs and states written in at given steps. Returns
 * the spike trace, the state and the guards' counters.
 */
function run(plan: KernelPlan, st: SimulationState, spikes: Int32Array, wasm: WasmLifRunner | null, guards: boolean) {
  initializeState(st, net, 6);
  const setup = setupGuards(net, guards ? { enabled: true } : undefined, 1);
  const guard = guardKernel(setup, 0);
  const slotOffset = new Float64Array(net.maxDelaySteps + 1);
  const n = net.neuronCount;
  const trace: number[] = [];
  for (let step = 0; step < 250; step++) {
    const slot = (step % st.ringSlots) * n;
    if (step === 40) {
      st.ringExcPa[slot + 10] = 1e9;
      st.ringInhPa[slot + 11] = Number.NaN;
      st.ringExcPa[slot + 161] = Number.POSITIVE_INFINITY;
    }
    if (step === 90) {
      st.membraneMv[20] = Number.NaN;
      st.currentExcPa[202] = Number.POSITIVE_INFINITY;
      wasm?.invalidateStateBounds();
    }
    const count = integrateStep(plan, st, NO_EFFECTS, 0, 6, step, 0, 0, n, spikes, 0, guard, wasm);
    trace.push(step, count, ...spikes.subarray(0, count));
    if (count > 0) deliverStep(net.synapses, st, NO_EFFECTS, step, 0, spikes, count, slotOffset, net.maxDelaySteps);
  }
  return { trace, st, counters: setup ? [...setup.counters] : [] };
}

function bits(st: SimulationState) {
  return WASM_STATE_ARRAYS.map((name) => [...new Uint32Array(st[name].buffer, st[name].byteOffset, st[name].length)]);
}

describe('WasmLifRunner: one wasm LIF call for the cpu backend and the shards', () => {
  for (const precision of PRECISIONS) for (const guards of [false, true]) {
    it(`WasmKernels and ShardWasmKernels give the JavaScript kernels' spikes, state and guard counts (${precision}, guards ${guards ? 'on' : 'off'})`, (t) => {
      if (sharedCpuModule() === null) return t.skip('no wasm SIMD here');
      const plan = plans[precision];
      const js = run(plan, allocateState(net, 1, false), new Int32Array(net.neuronCount), null, guards);
      if (guards) assert.ok(js.counters.some((c) => c > 0), 'the guards acted');

      const cpu = WasmKernels.create(net, 1, plan)!;
      const cpuState = allocateState(net, 1, false);
      assert.ok(cpu.bindState(cpuState));
      const a = run(plan, cpuState, cpu.spikes, cpu, guards);

      const shards = partitionNeurons(net, 1);
      const placed = createSharedWasmMemory(net, 1, plan, shards, [net.neuronCount])!;
      const shardState = allocateState(net, 1, true);
      assert.ok(bindSharedState(placed.layout, shardState));
      const shard = new ShardWasmKernels(placed.layout, plan, placed.logs);
      shard.useShard(0);
      const b = run(plan, shardState, placed.logs[0], shard, guards);

      for (const [name, x] of [['cpu', a], ['shard', b]] as const) {
        assert.deepEqual(x.trace, js.trace, `${name}: spikes`);
        assert.deepEqual(x.counters, js.counters, `${name}: guard counters`);
        assert.deepEqual(bits(x.st), bits(js.st), `${name}: state, bit for bit`);
      }
    });
  }

  for (const precision of PRECISIONS) it(`allocates nothing in the step loop, also with two instances in one process (a call V8 cannot pin to one instance must not box float64 arguments; ${precision})`, async (t) => {
    if (sharedCpuModule() === null) return t.skip('no wasm SIMD here');
    const plan = plans[precision];
    // Two backends' kernels in one process, as in every experiment (treated replicas, controls, reference runs):
    // the call sites see two instances' exports. With the parameters passed as float64 arguments, each call
    // allocated about 180 bytes of heap numbers (36 MB per campaign job), found by a sampling heap profile.
    const runners = [0, 1].map(() => {
      const w = WasmKernels.create(net, 1, plan)!;
      const st = allocateState(net, 1, false);
      assert.ok(w.bindState(st));
      initializeState(st, net, 6);
      return { w, st };
    });
    const setup = setupGuards(net, { enabled: true }, 1);
    const guard = guardKernel(setup, 0);
    const n = net.neuronCount;
    const loop = (steps: number) => {
      for (let step = 0; step < steps; step++) {
        for (const { w, st } of runners) {
          integrateStep(plan, st, NO_EFFECTS, 0, 6, step, 0, 0, n, w.spikes, 0, guard, w);
          integrateStep(plan, st, NO_EFFECTS, 0, 6, step, 0, 0, n, w.spikes, 0, null, w);
        }
      }
    };
    loop(2_000); // V8 optimizes the loop first: what it allocates before that is not the step loop's
    // Collections that start during the loop (V8 also collects on its own tasks once the event loop runs: those are not the loop's).
    const starts: number[] = [];
    const observer = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) starts.push(e.startTime);
    });
    observer.observe({ entryTypes: ['gc'] });
    let t0 = 0;
    let t1 = 0;
    try {
      t0 = performance.now();
      loop(40_000);
      t1 = performance.now();
      await new Promise((r) => setTimeout(r, 50)); // the observer hears of collections asynchronously
    } finally {
      observer.disconnect();
    }
    const collections = starts.filter((at) => at >= t0 && at <= t1).length;
    assert.equal(collections, 0, `the step loop allocated enough to collect ${collections} times`);
  });
});
