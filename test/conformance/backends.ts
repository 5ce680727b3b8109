import type { SimulationBackend, SimulationOptions } from '../../src/backends/backend.js';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { TfjsBackend } from '../../src/backends/tfjs/tfjs-backend.js';
import { loadTfjs, TFJS_FLAVOURS } from '../../src/backends/tfjs/tfjs-runtime.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import type { Network } from '../../src/model/network.js';
import { GpujsBackend } from '../../src/backends/gpujs/gpujs-backend.js';
import { gpujsTestMode } from '../backends/gpujs-entry.js';

/**
 * Every backend the conformance suite runs, one entry each. `create` returns
 * a backend, or a string: the reason this backend cannot run here (the suite
 * reports it as skipped with that reason). A new backend (gpujs, ...) plugs
 * in with one more entry.
 */
export interface ConformanceEntry {
  name: string;
  /** How far its float arithmetic is from the reference's (see tolerances.ts). */
  arithmetic: 'reference' | 'float32-per-op';
  create(network: Network, options: SimulationOptions): Promise<SimulationBackend | string>;
}

const tfjsFlavour = (process.env.NEUROCHAOS_TFJS_FLAVOUR ?? 'tfjs-cpu') as (typeof TFJS_FLAVOURS)[number];

export const CONFORMANCE_BACKENDS: ConformanceEntry[] = [
  { name: 'cpu', arithmetic: 'reference', create: async (net, o) => new ReferenceBackend(net, o) },
  { name: 'workers (1 worker)', arithmetic: 'reference', create: async (net, o) => new WorkersBackend(net, { ...o, workers: 1 }) },
  { name: 'workers (2 workers)', arithmetic: 'reference', create: async (net, o) => new WorkersBackend(net, { ...o, workers: 2 }) },
  {
    name: `tfjs (${tfjsFlavour})`,
    arithmetic: 'float32-per-op',
    create: async (net, o) => {
      try {
        return new TfjsBackend(net, await loadTfjs(tfjsFlavour), o);
      } catch (e) {
        return `${tfjsFlavour} cannot run here: ${e instanceof Error ? e.message : String(e)}`;
      }
    },
  },
  {
    // cpu mode follows the reference's expressions and rounding exactly; GPU modes compute in float32 throughout.
    name: `gpujs (${gpujsTestMode()} mode)`,
    arithmetic: gpujsTestMode() === 'cpu' ? 'reference' : 'float32-per-op',
    create: async (net, o) => {
      try {
        return new GpujsBackend(net, { ...o, mode: gpujsTestMode() });
      } catch (e) {
        return `gpujs in ${gpujsTestMode()} mode cannot run here: ${e instanceof Error ? e.message : String(e)}`;
      }
    },
  },
];
