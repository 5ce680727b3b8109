import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StateBufferName, StepEffects } from '../../../src/backends/backend.js';
import { deliverStep, integrateStep } from '../../../src/backends/cpu-step.js';
import { WasmKernels, WASM_STATE_ARRAYS } from '../../../src/backends/cpu/wasm-kernels.js';
import { guardKernel, setupGuards } from '../../../src/backends/guards.js';
import { planKernels } from '../../../src/backends/kernel-plan.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { allocateState, initializeState, type SimulationState } from '../../../src/backends/simulation-state.js';
import { Allocator } from '../../../src/memory/allocator.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { cubaSpec } from '../../../src/model/cuba.js';
import type { Network } from '../../../src/model/network.js';
import { distinctPopulationsSpec, smallNetworkSpec } from '../../helpers/networks.js';
import { PRECISIONS, type Precision } from '../../../src/backends/precision.js';

const NO_EFFECTS: StepEffects = { storms: [], partitions: [] };

/** A state's arrays by name: the JavaScript run's own, or the backend's through buffer() (how faults write it). */
type Arrays = (name: StateBufferName) => Float32Array | Int32Array | Uint8Array;
type Perturb = (arrays: Arrays, ringSlots: number, step: number) => void;

/**
 * The JavaScript kernels' run of `steps` steps (integrateStep and
 * deliverStep without wasm: the readable reference) on a state of its own,
 * with `perturb` applied before each step. Returns the spikes of every step
 * (flat: step, count, neurons...) and the final state.
 */
function javascriptRun(net: Network, batch: number, seed: number, steps: number, guards: boolean, perturb: Perturb, precision: Precision) {
  const plan = planKernels(net, precision);
  const st = allocateState(net, batch, false);
  initializeState(st, net, seed);
  const setup = setupGuards(net, guards ? { enabled: true } : undefined, 1);
  const guard = guardKernel(setup, 0);
  const spikes = new Int32Array(net.neuronCount);
  const slotOffset = new Float64Array(net.maxDelaySteps + 1);
  const trace: number[] = [];
  for (let step = 0; step < steps; step++) {
    perturb((name) => st[name as keyof SimulationState] as Float32Array, st.ringSlots, step);
    for (let b = 0; b < batch; b++) {
      const count = integrateStep(plan, st, NO_EFFECTS, 0, seed, step, b, 0, net.neuronCount, spikes, 0, guard);
      trace.push(step, count, ...spikes.subarray(0, count));
      if (count > 0) deliverStep(net.synapses, st, NO_EFFECTS, step, b, spikes, count, slotOffset, net.maxDelaySteps);
    }
  }
  return { trace, st, counters: setup ? [...setup.counters] : [] };
}

/** The same run through the `cpu` backend (wasm kernels), step by step. */
function backendRun(net: Network, batch: number, seed: number, steps: number, guards: boolean, perturb: Perturb, precision: Precision) {
  const sim = new ReferenceBackend(net, { batch, seed, guards: guards ? { enabled: true } : undefined, precision });
  const internals = sim as unknown as { state: SimulationState; wasm: WasmKernels | null; spikes: Int32Array; guards: { counters: Float64Array } | null };
  assert.notEqual(internals.wasm, null, 'the cpu backend runs the wasm kernels on this machine');
  const trace: number[] = [];
  let before = 0;
  for (let step = 0; step < steps; step++) {
    perturb((name) => sim.buffer(name), internals.state.ringSlots, step);
    sim.advance(1);
    const pairs = sim.recorder.stores.map((s) => s.toPairs());
    for (let b = 0; b < batch; b++) {
      const neurons: number[] = [];
      for (let k = 0; k < pairs[b].length; k += 2) if (pairs[b][k] === step) neurons.push(pairs[b][k + 1]);
      trace.push(step, neurons.length, ...neurons);
    }
    before = step;
  }
  void before;
  return { trace, st: internals.state, counters: internals.guards ? [...internals.guards.counters] : [], sim };
}

function assertSameState(a: SimulationState, b: SimulationState) {
  for (const name of WASM_STATE_ARRAYS) {
    const x = new Uint32Array(a[name].buffer, a[name].byteOffset, a[name].length);
    const y = new Uint32Array(b[name].buffer, b[name].byteOffset, b[name].length);
    let first = -1;
    for (let i = 0; i < x.length && first < 0; i++) if (x[i] !== y[i]) first = i;
    assert.equal(first, -1, `${name} differs first at ${first}`);
  }
}

for (const precision of PRECISIONS) describe(`the cpu backend on the wasm kernels (${precision})`, () => {
  it('gives the JavaScript kernels\' spikes and state bit for bit on CUBA (no drive, one-step delays)', async () => {
    const net = buildNetwork(cubaSpec({ scale: 0.1 }), { seed: 3 });
    const js = javascriptRun(net, 1, 3, 600, false, () => {}, precision);
    const wasm = backendRun(net, 1, 3, 600, false, () => {}, precision);
    assert.ok(js.trace.length > 1200, 'the network fires');
    assert.deepEqual(wasm.trace, js.trace);
    assertSameState(js.st, wasm.st);
    await wasm.sim.dispose();
  });

  it('gives them bit for bit with fused Poisson drives, odd population sizes and two replicas', async () => {
    // 203 neurons: populations of 162 and 41, so the pair loop leaves tails in both.
    const net = buildNetwork(smallNetworkSpec(203), { seed: 5 });
    assert.ok(planKernels(net).populations.every((p) => p.fusedPoisson !== null), 'the drives are fused in this network');
    const js = javascriptRun(net, 2, 9, 400, false, () => {}, precision);
    const wasm = backendRun(net, 2, 9, 400, false, () => {}, precision);
    assert.ok(js.trace.length > 800, 'the network fires');
    assert.deepEqual(wasm.trace, js.trace);
    assertSameState(js.st, wasm.st);
    await wasm.sim.dispose();
  });

  it('gives them bit for bit where every population has its own LIF constants and drive (the parameter block of each, not of another)', async () => {
    const net = buildNetwork(distinctPopulationsSpec(), { seed: 11 });
    const plan = planKernels(net);
    assert.ok(plan.populations.every((p) => p.fusedPoisson !== null), 'the drives are fused');
    for (const guards of [false, true]) {
      const js = javascriptRun(net, 2, 4, 500, guards, () => {}, precision);
      const wasm = backendRun(net, 2, 4, 500, guards, () => {}, precision);
      // Every population fires, so each one's constants reach the spikes.
      const fired = new Set<number>();
      for (let k = 0; k < js.trace.length; k += 2 + js.trace[k + 1]) for (let j = 0; j < js.trace[k + 1]; j++) fired.add(js.trace[k + 2 + j]);
      for (const p of net.populations) assert.ok([...fired].some((n) => n >= p.start && n < p.start + p.size), `${p.name} fires`);
      assert.deepEqual(wasm.trace, js.trace, `guards ${guards}`);
      assertSameState(js.st, wasm.st);
      await wasm.sim.dispose();
    }
  });

  it('with guards on: caps and drops the same inputs and contains the same neurons, counting alike', async () => {
    const net = buildNetwork(smallNetworkSpec(203), { seed: 5 });
    // Written into the live state before given steps: saturating, NaN and infinite input, NaN and
    // infinite membranes and currents, in the pair loop and in a tail (neurons 161 and 202).
    const perturb: Perturb = (a, ringSlots, step) => {
      const n = net.neuronCount;
      const slot = (step % ringSlots) * n;
      if (step === 50) {
        a('ringExcPa')[slot + 10] = 1e9;
        a('ringInhPa')[slot + 11] = Number.NaN;
        a('ringExcPa')[slot + 161] = Number.POSITIVE_INFINITY;
      }
      // Late enough that the guards' state bound was proved and is skipping the state test: the writes must end that.
      if (step === 80) {
        a('membraneMv')[20] = Number.NaN;
        a('currentExcPa')[33] = Number.POSITIVE_INFINITY;
        a('membraneMv')[202] = Number.POSITIVE_INFINITY;
        a('currentInhPa')[7] = Number.NEGATIVE_INFINITY;
        a('membraneMv')[40] = 3e38; // large but finite: updated, not contained
      }
      if (step === 120) a('ringInhPa')[slot + 100] = -2e5;
      if (step === 200) a('currentExcPa')[150] = Number.NaN;
    };
    const js = javascriptRun(net, 1, 4, 300, true, perturb, precision);
    const wasm = backendRun(net, 1, 4, 300, true, perturb, precision);
    assert.ok(js.counters[0] >= 5 && js.counters[1] >= 4, `the guards acted (${js.counters})`);
    const bounds = (wasm.sim as unknown as { wasm: { boundUntil: Float64Array } }).wasm.boundUntil;
    assert.ok(bounds.every((until) => until >= 299), `the state test was being skipped under a proved bound at the end (${bounds})`);
    assert.deepEqual(wasm.counters, js.counters);
    assert.deepEqual(wasm.trace, js.trace);
    assertSameState(js.st, wasm.st);
    await wasm.sim.dispose();
  });

  it('keeps the plain update\'s NaN where guards are off, as the JavaScript kernels do', async () => {
    const net = buildNetwork(cubaSpec({ scale: 0.05 }), { seed: 2 });
    const perturb: Perturb = (a, _slots, step) => {
      if (step === 10) a('membraneMv')[5] = Number.NaN;
    };
    const js = javascriptRun(net, 1, 2, 60, false, perturb, precision);
    const wasm = backendRun(net, 1, 2, 60, false, perturb, precision);
    assert.ok(Number.isNaN(js.st.membraneMv[5]));
    assert.deepEqual(wasm.trace, js.trace);
    assertSameState(js.st, wasm.st);
    await wasm.sim.dispose();
  });

  it('puts the state and the synapses in one wasm memory, charged to the allocator as the state was', async () => {
    const net = buildNetwork(cubaSpec({ scale: 0.05 }), { seed: 2 });
    const allocator = new Allocator(2 ** 30);
    const sim = new ReferenceBackend(net, { allocator, precision });
    const internals = sim as unknown as { state: SimulationState; wasm: WasmKernels };
    const buffer = internals.state.membraneMv.buffer;
    for (const name of WASM_STATE_ARRAYS) assert.equal(internals.state[name].buffer, buffer, name);
    assert.equal(sim.synapses().weightsPa.buffer, buffer, 'the live synapses are the memory\'s copy');
    assert.notEqual(sim.synapses().weightsPa, net.synapses.weightsPa);
    assert.deepEqual(sim.synapses().weightsPa, net.synapses.weightsPa);
    const stateBytes = WASM_STATE_ARRAYS.reduce((s, name) => s + internals.state[name].byteLength, 0);
    assert.equal(allocator.inUseFor('simulation state') >= stateBytes, true);
    await sim.dispose();
    assert.equal(allocator.inUseFor('simulation state'), 0, 'dispose gives every byte back');
  });

  it('lays out nothing for a batch the shell refuses, which then refuses it', () => {
    const net = buildNetwork(cubaSpec({ scale: 0.05 }), { seed: 2 });
    assert.equal(WasmKernels.create(net, 0, planKernels(net, precision)), null);
    assert.throws(() => new ReferenceBackend(net, { batch: 0 }), /batch/);
  });
});
