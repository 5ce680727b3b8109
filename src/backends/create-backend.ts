import { availableParallelism } from 'node:os';
import type { Network } from '../model/network.js';
import { InputError, shown } from '../util/errors.js';
import type { SimulationBackend, SimulationOptions } from './backend.js';
import { ReferenceBackend } from './reference-backend.js';
import { WorkersBackend } from './workers/workers-backend.js';
import { TfjsBackend } from './tfjs/tfjs-backend.js';
import { GpujsBackend } from './gpujs/gpujs-backend.js';
import { GPUJS_MODES, type GpujsMode } from './gpujs/gpujs-mode.js';
import { loadedTfjs, loadTfjs, TFJS_FLAVOURS, type TfjsFlavour } from './tfjs/tfjs-runtime.js';

export const BACKEND_NAMES = ['workers', 'cpu', 'tfjs', ...TFJS_FLAVOURS, 'gpujs', 'auto'] as const;
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
  /** Why this backend (for tfjs and auto: which flavour, and why). */
  selection?: string;
}

/**
 * The asynchronous half of backend creation: resolves `auto` (tfjs on a
 * usable CUDA device, workers otherwise) and loads TensorFlow.js for the
 * tfjs names, so that createBackend (synchronous) can build it. Returns the
 * choice with a concrete backend name and the reason for it.
 */
export async function prepareBackend<T extends BackendChoice>(choice: T): Promise<T & { selection?: string }> {
  const name = choice.backend ?? DEFAULT_BACKEND;
  if (name === 'auto') {
    try {
      const rt = await loadTfjs('tfjs');
      if (rt.cuda) return { ...choice, backend: 'tfjs', selection: `auto: tfjs on a CUDA device (${rt.reason})` };
      return { ...choice, backend: 'workers', selection: `auto: workers, because tfjs has no CUDA device here (best flavour ${rt.flavour}; tfjs without a GPU is slower than the worker threads)` };
    } catch {
      return { ...choice, backend: 'workers', selection: 'auto: workers, because no tfjs flavour could be loaded' };
    }
  }
  if (name === 'tfjs' || (TFJS_FLAVOURS as readonly string[]).includes(name)) {
    const rt = await loadTfjs(name as 'tfjs' | TfjsFlavour);
    return { ...choice, selection: `tfjs on ${rt.flavour}: ${rt.reason}` };
  }
  return choice;
}

export function createBackend(network: Network, choice: BackendChoice = {}): CreatedBackend {
  const name = choice.backend ?? DEFAULT_BACKEND;
  if (name === 'cpu') {
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the cpu backend is the single-threaded reference: workers must be 1 (got ${shown(workers)}); use --backend workers for threads`);
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
  if (name === 'tfjs' || (TFJS_FLAVOURS as readonly string[]).includes(name)) {
    const rt = loadedTfjs(name as 'tfjs' | TfjsFlavour);
    if (!rt) throw new InputError('backend', `${name} is not loaded yet: await prepareBackend(choice) (or loadTfjs) before createBackend`);
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the tfjs backend runs on one device: workers must be 1 (got ${workers})`);
    return { backend: new TfjsBackend(network, rt, choice), workers: 1, selection: `tfjs on ${rt.flavour}: ${rt.reason}` };
  }
  if (name === 'auto') throw new InputError('backend', 'auto is resolved by prepareBackend(choice) before createBackend');
  throw new InputError('backend', `unknown backend "${shown(name)}" (available: ${BACKEND_NAMES.join(', ')})`);
}
