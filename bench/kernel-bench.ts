import b from 'benny';
import { stepKey } from '../kernels/cpu/counter_rng.js';
import { lifStep } from '../kernels/cpu/lif_step.js';
import { poissonDrive } from '../kernels/cpu/poisson_drive.js';
import { injectStorm, type StormKernel } from '../kernels/cpu/inject_storm.js';
import { computeSlotOffsets } from '../src/backends/cpu-step.js';
import { deliverSpikes } from '../kernels/cpu/deliver_spikes.js';
import { planKernels } from '../src/backends/kernel-plan.js';
import { ReferenceBackend } from '../src/backends/reference-backend.js';
import { allocateState, initializeState } from '../src/backends/simulation-state.js';
import { ChaosController } from '../src/chaos/chaos-controller.js';
import { checksumWords } from '../src/defences/block-checksum.js';
import { WeightScrubber } from '../src/defences/weight-scrubber.js';
import { buildNetwork } from '../src/model/builder.js';
import { microcircuitSpec } from '../src/model/microcircuit.js';

/**
 * benny micro-benchmarks of the kernels on the scale-0.1 microcircuit, per
 * kernel family present in this build. Only the CPU family (kernels/cpu, the
 * reference every backend runs: the workers backend runs the same kernels on
 * shards) exists here; a tfjs or gpujs family adds its own suite.
 */
export async function runKernelBench(resultsDir: string, quick = false): Promise<void> {
  const net = buildNetwork(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
  const plan = planKernels(net);
  const state = allocateState(net, 1, false);
  initializeState(state, net, 1);
  const n = net.neuronCount;
  const spikes = new Int32Array(n);
  // 4 sources spiking per step is the microcircuit's average at scale 0.1.
  const sources = Int32Array.from([17, 2500, 4400, 7000]);
  const slotOffset = new Float64Array(net.maxDelaySteps + 1);
  const options = quick ? { minSamples: 5, maxTime: 0.5 } : { minSamples: 20, maxTime: 3 };
  // A 10 kHz regular storm into 10% of the neurons: one event per target per step.
  const stormTargets = Int32Array.from({ length: Math.round(n / 10) }, (_, k) => k * 10);
  const storm: StormKernel = { targets: stormTargets, replicas: Uint8Array.of(1), startStep: 0, endStep: Number.MAX_SAFE_INTEGER, poisson: false, ratePerStep: 1, table: null, amplitude: 87.81, unitMv: false, stream: 1, events: new Float64Array(1) };
  // Corruption and scrubbing act on a backend's live weights, through the chaos layer and the defence.
  const sim = new ReferenceBackend(net);
  const chaos = new ChaosController(sim, { seed: 1 });
  const w = net.synapses.weightsPa;
  const scrubber = new WeightScrubber(new Uint32Array(w.buffer, w.byteOffset, w.length));
  const synapses = w.length;
  // The scrubber's earlier check, for comparison: a scalar Murmur3 per block of 4,096 words against the golden block's.
  const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
  const blockSums = Uint32Array.from({ length: scrubber.blocks }, (_, k) => checksumWords(bits, k * 4096, Math.min(bits.length, (k + 1) * 4096)));
  let step = 0;
  let faults = 0;
  await b.suite(
    `CPU kernels, microcircuit scale 0.1 (${n.toLocaleString('en')} neurons, ${synapses.toLocaleString('en')} synapses)`,
    b.add('LifStep (all neurons, one step)', () => {
      let count = 0;
      for (const p of plan.populations) {
        count = lifStep(p.lif, null, p.start, p.end, 0, 0, state, spikes, count);
      }
    }, options),
    b.add('PoissonDrive (all neurons, one step)', () => {
      step++;
      // The background drives are fused into the neuron update in simulations; here the kernel runs alone.
      for (const d of [...plan.poisson, ...plan.populations.flatMap((p) => (p.fusedPoisson ? [p.fusedPoisson] : []))]) {
        poissonDrive(d.table, d.parts, d.weightPa, stepKey(1, 0, step, d.stream), d.start, d.end, 0, state.ringExcPa);
      }
    }, options),
    b.add('DeliverSpikes (4 sources, ~15,500 synapses)', () => {
      step++;
      computeSlotOffsets(state, step, net.maxDelaySteps, slotOffset);
      deliverSpikes(net.synapses.rowPtr, net.synapses.rowPtr, 1, net.synapses.targets, net.synapses.weightsPa, net.synapses.delaySteps, sources, 0, sources.length, slotOffset, 0, state.ringExcPa, state.ringInhPa);
    }, options),
    b.add(`InjectStorm (10 kHz into ${stormTargets.length} neurons, one step)`, () => {
      step++;
      injectStorm(storm, 1, step, 0, 0, n, 0, (step % state.ringSlots) * n, state.membraneMv, state.refractorySteps, state.ringExcPa, state.ringInhPa, 0);
    }, options),
    b.add('CorruptWeights (bit flips in 1% of the synapses: inject + stop)', async () => {
      const f = await chaos.inject({ kind: 'weight-corruption', id: `bench-${++faults}`, fraction: 0.01, mode: 'bit-flip' });
      await f.stop();
    }, options),
    b.add('Scrub (compare every block with the golden copy, nothing to repair)', () => {
      scrubber.pass(step);
    }, options),
    b.add('Scrub (compare every block with the golden copy, repair 1 corrupted synapse)', () => {
      w[12345] = -w[12345];
      scrubber.pass(step);
    }, options),
    b.add('Scrub as before: a Murmur3 checksum per block (for comparison)', () => {
      let corrupted = 0;
      for (let k = 0; k < blockSums.length; k++) if (checksumWords(bits, k * 4096, Math.min(bits.length, (k + 1) * 4096)) !== blockSums[k]) corrupted++;
      return corrupted;
    }, options),
    b.cycle(),
    b.complete(),
    b.save({ file: quick ? 'kernels-quick' : 'kernels', folder: resultsDir, format: 'json' }),
  );
  await sim.dispose();
}
