import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ChaosController } from '../../../src/chaos/chaos-controller.js';
import { Allocator } from '../../../src/memory/allocator.js';
import { planKernels } from '../../../src/backends/kernel-plan.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { ringSlotsFor } from '../../../src/backends/simulation-state.js';
import { partitionNeurons } from '../../../src/backends/workers/partition.js';
import { deliverSlices, fillRowSlices } from '../../../src/backends/workers/row-slices.js';
import { createSharedWasmMemory, ShardWasmKernels } from '../../../src/backends/workers/shard-wasm.js';
import { sharedCpuModule } from '../../../src/backends/workers/shared-wasm-module.js';
import { WorkersBackend } from '../../../src/backends/workers/workers-backend.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { cubaSpec } from '../../../src/model/cuba.js';
import type { SimulationBackend } from '../../../src/backends/backend.js';
import { smallNetworkSpec } from '../../helpers/networks.js';

const open: WorkersBackend[] = [];
after(async () => {
  await Promise.all(open.map((w) => w.dispose()));
});

const wasmHere = sharedCpuModule() !== null;
const net = buildNetwork(smallNetworkSpec(500), { seed: 9 });

describe('the shards\' wasm delivery (ShardWasmKernels.deliver)', () => {
  for (const shardCount of [1, 2, 3]) {
    it(`${shardCount} shard(s), 2 replicas: the rings and the counts of row-slices.ts deliverSlices, bit for bit, with NaN, -0 and odd weights`, (t) => {
      if (!wasmHere) return t.skip('no wasm SIMD here');
      const plan = planKernels(net);
      const shards = partitionNeurons(net, shardCount);
      const batch = 2;
      const spikesPerStep = 37;
      const steps = 60;
      const placed = createSharedWasmMemory(net, batch, plan, shards, shards.map(() => spikesPerStep * steps));
      assert.ok(placed && placed.synapses && placed.rowSlices, 'the small network\'s synapses fit the memory');
      const { layout, logs, synapses } = placed;
      // Odd weights, so that sums differ by order and sign: NaN (inhibitory ring), -0, tiny and huge values.
      const w = synapses.weightsPa;
      for (let k = 0; k < w.length; k += 97) w[k] = [Number.NaN, -0, 1e-30, -3e30, 7.25][(k / 97) % 5];
      const k = new ShardWasmKernels(layout, plan, logs);
      assert.ok(k.delivers);
      const n = net.neuronCount;
      const slots = ringSlotsFor(net);
      const buffer = layout.memory.buffer;
      const ringEx = new Float32Array(buffer, layout.ptr.ringExcPa, slots * batch * n);
      const ringIn = new Float32Array(buffer, layout.ptr.ringInhPa, slots * batch * n);
      const jsEx = new Float32Array(ringEx.length);
      const jsIn = new Float32Array(ringIn.length);
      // Random ascending spikes per (step, source shard), as the logs hold them.
      let seed = 5;
      const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
      for (const log of logs) {
        for (let s = 0; s < steps; s++) {
          const ids = [...new Set(Array.from({ length: spikesPerStep }, () => Math.floor(rnd() * n)))].sort((a, b) => a - b);
          for (let i = 0; i < spikesPerStep; i++) log[s * spikesPerStep + i] = ids[i % ids.length];
          log.subarray(s * spikesPerStep, (s + 1) * spikesPerStep).sort();
        }
      }
      const jsBase = new Int32Array(net.maxDelaySteps + 1);
      let visitedWasm = 0;
      let visitedJs = 0;
      for (let s = 0; s < steps; s++) {
        for (let b = 0; b < batch; b++) {
          for (let target = 0; target < shardCount; target++) {
            const bases = k.slotBase(target);
            for (let d = 0; d <= net.maxDelaySteps; d++) jsBase[d] = bases[d] = ((s + d) % slots) * batch * n + b * n;
            for (let source = 0; source < shardCount; source++) {
              const from = s * spikesPerStep;
              const to = from + spikesPerStep - (s % 3); // some short spans, one empty-ish
              visitedWasm += k.deliver(target, source, from, to);
              visitedJs += deliverSlices(placed.rowSlices![target], net.populations.length, synapses.targets, synapses.weightsPa, synapses.delaySteps, logs[source], from, to, jsBase, jsEx, jsIn);
            }
          }
        }
      }
      assert.ok(visitedJs > 10_000);
      assert.equal(visitedWasm, visitedJs);
      assert.deepEqual(new Uint32Array(ringEx.slice().buffer), new Uint32Array(jsEx.buffer), 'excitatory rings, bit for bit');
      assert.deepEqual(new Uint32Array(ringIn.slice().buffer), new Uint32Array(jsIn.buffer), 'inhibitory rings, bit for bit');
      assert.ok(ringIn.some(Number.isNaN), 'a NaN weight reached the inhibitory ring');
    });
  }

  it('lays the synapses and row slices into the shared memory, filled as the backend fills its own; beyond the limit it leaves them out', (t) => {
    if (!wasmHere) return t.skip('no wasm SIMD here');
    const plan = planKernels(net);
    const shards = partitionNeurons(net, 2);
    const placed = createSharedWasmMemory(net, 1, plan, shards, [10, 10])!;
    const buffer = placed.layout.memory.buffer;
    assert.ok(buffer instanceof SharedArrayBuffer);
    for (const key of ['rowPtr', 'targets', 'weightsPa', 'delaySteps'] as const) {
      assert.equal(placed.synapses![key].buffer, buffer);
      assert.deepEqual(placed.synapses![key], net.synapses[key]);
    }
    shards.forEach((shard, k) => {
      const expected = new Uint32Array(net.neuronCount * net.populations.length * 2);
      fillRowSlices(net.synapses, net.neuronCount, shard, expected);
      assert.equal(placed.rowSlices![k].buffer, buffer);
      assert.deepEqual(placed.rowSlices![k], expected);
    });
    const small = createSharedWasmMemory(net, 1, plan, shards, [10, 10], 100)!;
    assert.equal(small.synapses, null);
    assert.equal(small.rowSlices, null);
    assert.equal(small.layout.synapses, null);
    assert.equal(new ShardWasmKernels(small.layout, plan, small.logs).delivers, false);
    assert.ok(small.layout.bytes < placed.layout.bytes);
    assert.equal(createSharedWasmMemory(net, 0, plan, shards, [10, 10]), null, 'a batch the shell refuses lays out nothing');
    const off = createSharedWasmMemory(net, 1, plan, shards, [10, 10], -1)!;
    assert.equal(off.synapses, null, 'a limit of -1 keeps the synapses out (the workers backend without wasmDelivery)');
    assert.equal(off.layout.bytes, small.layout.bytes);
  });
});

describe('WorkersBackend with wasm delivery', () => {
  it('takes the memory\'s copy of the synapses as its live synapses, charges the allocator for state and row slices, and gives every byte back', async (t) => {
    if (!wasmHere) return t.skip('no wasm SIMD here');
    const allocator = new Allocator(2 ** 30);
    const b = new WorkersBackend(net, { workers: 2, allocator, wasmDelivery: true });
    const live = b.synapses();
    assert.notEqual(live.weightsPa, net.synapses.weightsPa);
    assert.deepEqual(live.weightsPa, net.synapses.weightsPa);
    assert.equal(live.weightsPa.buffer, b.buffer('membraneMv').buffer, 'the weights share the wasm memory with the state');
    assert.ok(allocator.inUseFor('row slices') >= 2 * net.neuronCount * net.populations.length * 8);
    assert.ok(allocator.inUseFor('simulation state') > 0);
    await b.run(50);
    await b.dispose();
    assert.equal(allocator.inUseFor('row slices'), 0);
    assert.equal(allocator.inUseFor('simulation state'), 0);
    assert.equal(allocator.inUseFor('spike log'), 0);
  });

  /** 300 steps, a weight fault (injected between runs, mid-simulation), 400 more: the record's hash. */
  async function faultedRun(sim: SimulationBackend, mode: 'scale' | 'nan'): Promise<string> {
    await sim.run(300);
    const chaos = new ChaosController(sim, { seed: 3 });
    await chaos.inject(mode === 'scale' ? { kind: 'weight-corruption', source: 'I', fraction: 0.3, mode: 'scale', factor: 0.2 } : { kind: 'weight-corruption', fraction: 0.01, mode: 'nan' });
    await sim.run(400);
    return sim.recorder.spikeHash();
  }

  for (const mode of ['scale', 'nan'] as const) {
    it(`a weight fault (${mode}) injected mid-run changes the spikes of 1, 2 and 3 workers exactly as on the cpu backend`, async () => {
      const cuba = buildNetwork(cubaSpec(), { seed: 2 });
      const clean = new ReferenceBackend(cuba);
      await clean.run(700);
      const ref = new ReferenceBackend(cuba);
      const expected = await faultedRun(ref, mode);
      assert.notEqual(expected, clean.recorder.spikeHash(), 'the fault changes the cpu backend\'s spikes');
      for (const workers of [1, 2, 3]) {
        for (const wasmDelivery of [true, false]) {
          // A fresh column each: without wasm delivery the backend's live synapses are the network's own, which the fault writes.
          const b = new WorkersBackend(buildNetwork(cubaSpec(), { seed: 2 }), { workers, wasmDelivery });
          open.push(b);
          assert.equal(await faultedRun(b, mode), expected, `${workers} workers, wasm delivery ${wasmDelivery}`);
          await b.dispose();
        }
      }
    });
  }
});
