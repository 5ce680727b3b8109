import { availableParallelism } from 'node:os';
import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import type { SimulationBackend, SimulationOptions } from './backend.js';
import { ReferenceBackend } from './reference-backend.js';
import { WorkersBackend } from './workers/workers-backend.js';
import { GpujsBackend } from './gpujs/gpujs-backend.js';
import { GPUJS_MODES, type GpujsMode } from './gpujs/gpujs-mode.js';

export const BACKEND_NAMES = ['workers', 'cpu', 'gpujs'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const DEFAULT_BACKEND: BackendName = 'workers';

export interface BackendChoice extends SimulationOptions {
  /** `workers`: the worker-thread engine; `cpu`: the single-threaded reference; `gpujs`: gpu.js kernels. @defaultValue 'workers' */
  backend?: string;
  /** Worker threads. @defaultValue the number of cores (workers), 1 (cpu) */
  workers?: number;
  /** In-memory checkpoint interval the workers' supervisor recovers from. @defaultValue 1000 */
  checkpointEverySteps?: number;
  /** gpujs backend: require this gpu.js mode. @defaultValue the best working one (webgpu, headlessgl, cpu) */
  gpujsMode?: GpujsMode;
}

export interface CreatedBackend {
  backend: SimulationBackend;
  workers: number;
}

export function createBackend(network: Network, choice: BackendChoice = {}): CreatedBackend {
  const name = choice.backend ?? DEFAULT_BACKEND;
  if (name === 'cpu') {
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the cpu backend is the single-threaded reference: workers must be 1 (got ${workers}); use --backend workers for threads`);
    return { backend: new ReferenceBackend(network, choice), workers: 1 };
  }
  if (name === 'gpujs') {
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the gpujs backend runs its kernels from one thread: workers must be 1 (got ${workers})`);
    const mode = choice.gpujsMode;
    if (mode !== undefined && !(GPUJS_MODES as readonly string[]).includes(mode)) throw new InputError('gpujsMode', `must be one of ${GPUJS_MODES.join(', ')} (got "${mode}")`);
    return { backend: new GpujsBackend(network, { ...choice, mode }), workers: 1 };
  }
  if (name === 'workers') {
    const backend = new WorkersBackend(network, { ...choice, workers: choice.workers ?? availableParallelism() });
    return { backend, workers: backend.workers };
  }
  throw new InputError('backend', `unknown backend "${name}" (available: ${BACKEND_NAMES.join(', ')})`);
}
