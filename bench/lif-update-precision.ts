import { parseArgs } from 'node:util';
import { WasmKernels } from '../src/backends/cpu/wasm-kernels.js';
import { planKernels } from '../src/backends/kernel-plan.js';
import { PRECISIONS } from '../src/backends/precision.js';
import { allocateState, initializeState } from '../src/backends/simulation-state.js';
import { buildNetwork } from '../src/model/builder.js';
import { cubaSpec } from '../src/model/cuba.js';

/**
 * The wasm LIF update alone (WasmKernels.lifStep, plain kernel, no drive,
 * no delivery) on CUBA's 4,000 neurons, float64 (f64x2) against float32
 * (f32x4), alternating, in ns per neuron-step: `--steps` steps per
 * measurement after as many to warm up, `--rounds` rounds of both.
 *
 *   node dist/bench/lif-update-precision.js [--steps 100000] [--rounds 2] [--quiet]
 *
 * Without input CUBA's neurons fire on their own (E_L = -49 mV is above the
 * -50 mV threshold), so every vector holds refractory or spiking lanes: the
 * update's slow case. --quiet lowers E_L to -70 mV: no neuron spikes or is
 * refractory, the fast case.
 */
const { values } = parseArgs({ options: { steps: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '2' }, quiet: { type: 'boolean', default: false } } });
const steps = Number(values.steps);
const net = buildNetwork(cubaSpec(), { seed: 1 });
const n = net.neuronCount;
for (let round = 0; round < Number(values.rounds); round++) {
  for (const precision of PRECISIONS) {
    const plan = planKernels(net, precision);
    if (values.quiet) for (const p of plan.populations) p.lif.restingMv = -70;
    const w = WasmKernels.create(net, 1, plan);
    if (w === null) throw new Error('no wasm SIMD here');
    const st = allocateState(net, 1, false);
    w.bindState(st);
    initializeState(st, net, 1);
    const run = (k: number) => {
      for (let s = 0; s < k; s++) for (const p of plan.populations) w.lifStep(p, null, null, p.start, p.end, 0, 0, st, 0);
    };
    run(steps);
    const t0 = performance.now();
    run(steps);
    const ms = performance.now() - t0;
    process.stdout.write(`${JSON.stringify({ precision, quiet: values.quiet, steps, nsPerNeuronStep: (ms * 1e6) / (steps * n) })}\n`);
  }
}
