import * as L from '../../../kernels/webgpu/layout.js';
import type { KernelPlan, PoissonKernel } from '../kernel-plan.js';
import type { Network } from '../../model/network.js';

/**
 * The model buffer (u32 words, floats as their bits) the neuron kernel
 * reads: the population of each neuron, the noise stream of each replica,
 * per population its LIF parameters (kernel-plan.ts, as the CPU kernels get
 * them) and its Poisson drives, and the drives' inversion thresholds
 * (poissonTable: the same tables as the CPU's, so counts agree exactly).
 */
export interface ModelBuffer {
  words: Uint32Array;
  popOff: number;
  driveOff: number;
  noiseOff: number;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bitsOf(x: number): number {
  f32[0] = x;
  return u32[0];
}

export function buildModelBuffer(network: Network, plan: KernelPlan, batch: number): ModelBuffer {
  const n = network.neuronCount;
  const P = plan.populations.length;
  // Drives per population: the separate ones in plan order (the CPU adds them to the ring in that order), then the fused one.
  const drives: { pop: number; d: PoissonKernel; fused: boolean }[] = [];
  const perPop: [number, number][] = [];
  for (const p of plan.populations) {
    const begin = drives.length;
    for (const d of plan.poisson) if (d.start === p.start && d.end === p.end) drives.push({ pop: p.index, d, fused: false });
    if (p.fusedPoisson) drives.push({ pop: p.index, d: p.fusedPoisson, fused: true });
    perPop.push([begin, drives.length]);
  }
  const noiseOff = n;
  const popOff = noiseOff + batch;
  const driveOff = popOff + P * L.POP_STRIDE;
  let tableOff = driveOff + drives.length * L.DRIVE_STRIDE;
  const tables = drives.map(({ d }) => {
    const at = tableOff;
    tableOff += d.table.thresholds.length;
    return at;
  });
  const words = new Uint32Array(tableOff);
  for (const p of network.populations) words.fill(p.index, p.start, p.start + p.size);
  for (let b = 0; b < batch; b++) words[noiseOff + b] = b;
  plan.populations.forEach((p, k) => {
    const at = popOff + k * L.POP_STRIDE;
    const l = p.lif;
    words[at + L.POP_RESTING] = bitsOf(l.restingMv);
    words[at + L.POP_THRESHOLD] = bitsOf(l.thresholdMv);
    words[at + L.POP_RESET] = bitsOf(l.resetMv);
    words[at + L.POP_DC_TERM] = bitsOf(l.p20 * l.dcPa);
    words[at + L.POP_P22] = bitsOf(l.p22);
    words[at + L.POP_P11EX] = bitsOf(l.p11ex);
    words[at + L.POP_P11IN] = bitsOf(l.p11in);
    words[at + L.POP_P21EX] = bitsOf(l.p21ex);
    words[at + L.POP_P21IN] = bitsOf(l.p21in);
    words[at + L.POP_REFRACTORY] = l.refractorySteps;
    words[at + L.POP_DRIVE_BEGIN] = perPop[k][0];
    words[at + L.POP_DRIVE_END] = perPop[k][1];
  });
  drives.forEach(({ d, fused }, k) => {
    const at = driveOff + k * L.DRIVE_STRIDE;
    words[at] = bitsOf(d.weightPa);
    words[at + 1] = d.parts;
    words[at + 2] = d.stream;
    words[at + 3] = tables[k];
    words[at + 4] = d.table.thresholds.length;
    words[at + 5] = fused ? 1 : 0;
    words.set(d.table.thresholds, tables[k]);
  });
  return { words, popOff, driveOff, noiseOff };
}
