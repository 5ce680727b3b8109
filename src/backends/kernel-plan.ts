import { poissonTable, poissonParts, type PoissonTable } from '../../kernels/cpu/poisson_drive.js';
import type { FusedPoisson, LifKernelParams } from '../../kernels/cpu/lif_step.js';
import type { Network } from '../model/network.js';
import { computePropagators } from '../model/propagators.js';

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
}

export function planKernels(network: Network): KernelPlan {
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
        restingMv: pop.neuron.restingMv,
        thresholdMv: pop.neuron.thresholdMv,
        resetMv: pop.neuron.resetMv,
        dcPa: dc,
        ...pr,
      },
    });
  }
  return { populations, poisson };
}
