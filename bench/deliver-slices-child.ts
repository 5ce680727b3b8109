import { planKernels } from '../src/backends/kernel-plan.js';
import { ringSlotsFor } from '../src/backends/simulation-state.js';
import { partitionNeurons } from '../src/backends/workers/partition.js';
import { deliverSlices } from '../src/backends/workers/row-slices.js';
import { createSharedWasmMemory, ShardWasmKernels } from '../src/backends/workers/shard-wasm.js';
import { buildNetwork } from '../src/model/builder.js';
import { microcircuitSpec } from '../src/model/microcircuit.js';

/**
 * The shards' delivery kernels alone, wasm (ShardWasmKernels.deliver) against
 * JavaScript (row-slices.ts deliverSlices), on the microcircuit at scale 0.1
 * split into `shards` shards, in one thread: `steps` steps of 4 random
 * sources each (about the microcircuit's 15,500 synaptic events per step),
 * rows from all over the connectivity as in a run, the slot bases rotating;
 * alternating rounds of each kernel, ns per synaptic event, and whether the
 * two kernels left bit-identical rings. Prints one JSON line.
 * `node dist/bench/deliver-slices-child.js [shards] [rounds]`.
 */
const shardCount = Number(process.argv[2] ?? 2);
const rounds = Number(process.argv[3] ?? 4);
const steps = 2000;
const perStep = 4;
const net = buildNetwork(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
const plan = planKernels(net);
const shards = partitionNeurons(net, shardCount);
const placed = createSharedWasmMemory(net, 1, plan, shards, shards.map(() => steps * perStep));
if (placed === null || placed.synapses === null || placed.rowSlices === null) throw new Error('no shared wasm memory with the synapses here');
const { layout, logs, synapses, rowSlices } = placed;
const k = new ShardWasmKernels(layout, plan, logs);
const n = net.neuronCount;
const slots = ringSlotsFor(net);
const ringEx = new Float32Array(layout.memory.buffer, layout.ptr.ringExcPa, slots * n);
const ringIn = new Float32Array(layout.memory.buffer, layout.ptr.ringInhPa, slots * n);
const jsEx = new Float32Array(slots * n);
const jsIn = new Float32Array(slots * n);
let seed = 7;
const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
const log = logs[0];
for (let t = 0; t < steps; t++) {
  const ids = new Set<number>();
  while (ids.size < perStep) ids.add(Math.floor(rnd() * n));
  [...ids].sort((a, b) => a - b).forEach((x, j) => (log[t * perStep + j] = x));
}
const jsBase = new Int32Array(net.maxDelaySteps + 1);
function round(wasm: boolean): { ms: number; events: number } {
  const t0 = performance.now();
  let events = 0;
  for (let s = 0; s < shardCount; s++) {
    const bases = wasm ? k.slotBase(s) : jsBase;
    for (let t = 0; t < steps; t++) {
      for (let d = 0; d <= net.maxDelaySteps; d++) bases[d] = ((t + d) % slots) * n;
      if (wasm) events += k.deliver(s, 0, t * perStep, (t + 1) * perStep);
      else events += deliverSlices(rowSlices![s], layout.ranges, synapses!.targets, synapses!.weightsPa, synapses!.delaySteps, log, t * perStep, (t + 1) * perStep, jsBase, jsEx, jsIn);
    }
  }
  return { ms: performance.now() - t0, events };
}
const wasmNs: number[] = [];
const jsNs: number[] = [];
let events = 0;
for (let r = 0; r < rounds; r++) {
  for (const wasm of r % 2 === 0 ? [true, false] : [false, true]) {
    const x = round(wasm);
    (wasm ? wasmNs : jsNs).push((x.ms * 1e6) / x.events);
    events = x.events;
  }
}
let same = true;
for (let i = 0; i < ringEx.length && same; i++) same = Object.is(ringEx[i], jsEx[i]) && Object.is(ringIn[i], jsIn[i]);
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
process.stdout.write(`${JSON.stringify({ shards: shardCount, eventsPerRound: events, wasmNsPerEvent: wasmNs.map((x) => +x.toFixed(2)), jsNsPerEvent: jsNs.map((x) => +x.toFixed(2)), medianWasm: +med(wasmNs).toFixed(2), medianJs: +med(jsNs).toFixed(2), sameRings: same })}\n`);
