import b from 'benny';
import { stepKey } from '../kernels/cpu/counter_rng.js';
import { lifStep } from '../kernels/cpu/lif_step.js';
import { poissonDrive } from '../kernels/cpu/poisson_drive.js';
import { computeSlotOffsets } from '../src/backends/cpu-step.js';
import { deliverSpikes } from '../kernels/cpu/deliver_spikes.js';
import { planKernels } from '../src/backends/kernel-plan.js';
import { allocateState, initializeState } from '../src/backends/simulation-state.js';
import { buildNetwork } from '../src/model/builder.js';
import { microcircuitSpec } from '../src/model/microcircuit.js';

/** benny micro-benchmarks of the CPU kernels on the scale-0.1 microcircuit (one step of every neuron per op). */
export async function runKernelBench(resultsDir: string): Promise<void> {
  const net = buildNetwork(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
  const plan = planKernels(net);
  const state = allocateState(net, 1, false);
  initializeState(state, net, 1);
  const n = net.neuronCount;
  const spikes = new Int32Array(n);
  // 4 sources spiking per step is the microcircuit's average at scale 0.1.
  const sources = Int32Array.from([17, 2500, 4400, 7000]);
  const slotOffset = new Float64Array(net.maxDelaySteps + 1);
  let step = 0;
  await b.suite(
    'CPU kernels, microcircuit scale 0.1 (7,717 neurons)',
    b.add('LifStep (all neurons, one step)', () => {
      let count = 0;
      for (const p of plan.populations) {
        count = lifStep(p.lif, null, p.start, p.end, 0, 0, state.membraneMv, state.currentExcPa, state.currentInhPa, state.refractorySteps, state.ringExcPa, state.ringInhPa, spikes, count);
      }
    }),
    b.add('PoissonDrive (all neurons, one step)', () => {
      step++;
      // The background drives are fused into the neuron update in simulations; here the kernel runs alone.
      for (const d of [...plan.poisson, ...plan.populations.flatMap((p) => (p.fusedPoisson ? [p.fusedPoisson] : []))]) {
        poissonDrive(d.table, d.parts, d.weightPa, stepKey(1, 0, step, d.stream), d.start, d.end, 0, state.ringExcPa);
      }
    }),
    b.add('DeliverSpikes (4 sources, ~15,500 synapses)', () => {
      step++;
      computeSlotOffsets(state, step, net.maxDelaySteps, slotOffset);
      deliverSpikes(net.synapses.rowPtr, net.synapses.rowPtr, 1, net.synapses.targets, net.synapses.weightsPa, net.synapses.delaySteps, sources, 0, sources.length, slotOffset, 0, state.ringExcPa, state.ringInhPa);
    }),
    b.cycle(),
    b.complete(),
    b.save({ file: 'kernels', folder: resultsDir, format: 'json' }),
  );
}
