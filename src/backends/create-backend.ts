import { availableParallelism } from 'node:os';
import type { Network } from '../model/network.js';
import { InputError, shown } from '../util/errors.js';
import type { SimulationBackend, SimulationOptions } from './backend.js';
import { ReferenceBackend } from './reference-backend.js';
import { WorkersBackend } from './workers/workers-backend.js';

export const BACKEND_NAMES = ['workers', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];
export const DEFAULT_BACKEND: BackendName = 'workers';

export interface BackendChoice extends SimulationOptions {
  /** `workers`: the worker-thread engine; `cpu`: the single-threaded reference. @defaultValue 'workers' */
  backend?: string;
  /** Worker threads. @defaultValue the number of cores (workers), 1 (cpu) */
  workers?: number;
  /** In-memory checkpoint interval the workers' supervisor recovers from. @defaultValue 1000 */
  checkpointEverySteps?: number;
}

export interface CreatedBackend {
  backend: SimulationBackend;
  workers: number;
}

export function createBackend(network: Network, choice: BackendChoice = {}): CreatedBackend {
  const name = choice.backend ?? DEFAULT_BACKEND;
  if (name === 'cpu') {
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the cpu backend is the single-threaded reference: workers must be 1 (got ${shown(workers)}); use --backend workers for threads`);
    return { backend: new ReferenceBackend(network, choice), workers: 1 };
  }
  if (name === 'workers') {
    const backend = new WorkersBackend(network, { ...choice, workers: choice.workers ?? availableParallelism() });
    return { backend, workers: backend.workers };
  }
  throw new InputError('backend', `unknown backend "${shown(name)}" (available: ${BACKEND_NAMES.join(', ')})`);
}
