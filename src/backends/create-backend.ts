import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import type { SimulationBackend, SimulationOptions } from './backend.js';
import { ReferenceBackend } from './reference-backend.js';

export const BACKEND_NAMES = ['cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendChoice extends SimulationOptions {
  /** `cpu`: the single-threaded reference. @defaultValue 'cpu' */
  backend?: string;
  /** Worker threads. @defaultValue 1 for `cpu` */
  workers?: number;
}

export interface CreatedBackend {
  backend: SimulationBackend;
  workers: number;
}

export async function createBackend(network: Network, choice: BackendChoice = {}): Promise<CreatedBackend> {
  const name = choice.backend ?? 'cpu';
  if (name === 'cpu') {
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the cpu backend is the single-threaded reference: workers must be 1 (got ${workers})`);
    return { backend: new ReferenceBackend(network, choice), workers: 1 };
  }
  throw new InputError('backend', `unknown backend "${name}" (available: ${BACKEND_NAMES.join(', ')})`);
}
