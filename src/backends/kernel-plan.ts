import { poissonTable, poissonParts, type PoissonTable } from '../../kernels/cpu/poisson_drive.js';
import type { FusedPoisson, LifKernelParams } from '../../kernels/cpu/lif_step.js';
import type { Network } from '../model/network.js';
import { computePropagators } from '../model/propagators.js';
import { DEFAULT_PRECISION, type Precision } from './precision.js';

export interface PopulationKernel {
  /** The population's index (fault flags are per replica and population). */
  index: number;
  start: number;
  end: number;
  lif: LifKernelParams;
  /** A single excitatory one-part Poisson drive, run fused into the neuron update (else null). */
  fusedPoisson: PoissonKernel | null;
  /** Reused argument object for the fused kernel (its key changes every step; no allocation). */
  fusedScratch: FusedPoisson;
}

export interface PoissonKernel {
  start: number;
  end: number;
  lambda: number;
  /** Inversion table of one part, and how many parts sum to lambda. */
  table: PoissonTable;
  parts: number;
  weightPa: number;
  /** Stream index in the counter-based generator: one per (population, drive). */
  stream: number;
}

/** What the CPU kernels need per population, precomputed once per network. */
export interface KernelPlan {
  populations: PopulationKernel[];
  /** Poisson drives not fused into a population's update. */
  poisson: PoissonKernel[];
  /** The LIF update's arithmetic (precision.ts): which kernels run; with `float32`, every `lif` holds float32 values. */
  precision: Precision;
}

/**
 * The CPU kernels' plan for `network` in `precision`. With `float32` the
 * parameters and propagators are rounded to float32 once, here (Brian2 and
 * GeNN keep their constants in the model's float type too), so that every
 * operation of the update is a float32 operation.
 */
export function planKernels(network: Network, precision: Precision = DEFAULT_PRECISION): KernelPlan {
  const round = precision === 'float32' ? Math.fround : (x: number) => x;
  const populations: PopulationKernel[] = [];
  const poisson: PoissonKernel[] = [];
  for (const pop of network.populations) {
    const pr = computePropagators(pop.neuron, network.dtMs);
    let dc = pop.neuron.dcPa;
    pop.drives.forEach((d, di) => {
      if (d.kind === 'dc') dc += d.currentPa;
      else {
        const lambda = (d.rateHz * network.dtMs) / 1000;
        if (lambda <= 0 || d.weightPa === 0) return;
        const parts = poissonParts(lambda);
        poisson.push({ start: pop.start, end: pop.start + pop.size, lambda, table: poissonTable(lambda / parts), parts, weightPa: d.weightPa, stream: pop.index * 16 + di });
      }
    });
    const own = poisson.filter((d) => d.start === pop.start && d.end === pop.start + pop.size);
    let fusedPoisson: PoissonKernel | null = null;
    if (own.length === 1 && own[0].parts === 1 && own[0].weightPa > 0) {
      fusedPoisson = own[0];
      poisson.splice(poisson.indexOf(own[0]), 1);
    }
    populations.push({
      index: pop.index,
      fusedPoisson,
      fusedScratch: { table: fusedPoisson ? fusedPoisson.table : poissonTable(0), weightPa: fusedPoisson ? fusedPoisson.weightPa : 0, key: 0 },
      start: pop.start,
      end: pop.start + pop.size,
      lif: {
        restingMv: round(pop.neuron.restingMv),
        thresholdMv: round(pop.neuron.thresholdMv),
        resetMv: round(pop.neuron.resetMv),
        dcPa: round(dc),
        p22: round(pr.p22),
        p20: round(pr.p20),
        p11ex: round(pr.p11ex),
        p11in: round(pr.p11in),
        p21ex: round(pr.p21ex),
        p21in: round(pr.p21in),
        refractorySteps: pr.refractorySteps,
      },
    });
  }
  return { populations, poisson, precision };
}
