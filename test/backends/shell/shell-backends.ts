import type { SimulationBackend, SimulationOptions } from '../../../src/backends/backend.js';
import { GpujsBackend } from '../../../src/backends/gpujs/gpujs-backend.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { TfjsBackend } from '../../../src/backends/tfjs/tfjs-backend.js';
import { loadTfjs } from '../../../src/backends/tfjs/tfjs-runtime.js';
import { WorkersBackend } from '../../../src/backends/workers/workers-backend.js';
import type { Network } from '../../../src/model/network.js';

/** One backend the shell contracts run over: how to make it here (every one of them runs on any machine). */
export interface ShellBackendEntry {
  name: string;
  create(network: Network, options?: SimulationOptions): Promise<SimulationBackend>;
}

/**
 * Every backend built on the shell, in the flavour every machine has: tfjs
 * on its pure-JS flavour, gpu.js in cpu mode. A plain list for now; the
 * backend registry will replace it.
 */
export const SHELL_BACKENDS: ShellBackendEntry[] = [
  { name: 'cpu', create: async (net, o) => new ReferenceBackend(net, o) },
  { name: 'workers (2 workers)', create: async (net, o) => new WorkersBackend(net, { ...o, workers: 2 }) },
  { name: 'tfjs (tfjs-cpu)', create: async (net, o) => new TfjsBackend(net, await loadTfjs('tfjs-cpu'), o) },
  { name: 'gpujs (cpu mode)', create: async (net, o) => new GpujsBackend(net, { ...o, mode: 'cpu' }) },
];
