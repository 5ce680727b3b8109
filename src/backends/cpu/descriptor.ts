import { PRECISIONS } from '../precision.js';
import { MAX_BATCH } from '../../config/settings.js';
import { InputError, shown } from '../../util/errors.js';
import { ReferenceBackend } from '../reference-backend.js';
import type { BackendDescriptor } from '../registry.js';

/** `cpu`: the single-threaded reference every other backend is measured against. */
export const cpuBackend: BackendDescriptor = {
  name: 'cpu',
  summary: 'the single-threaded reference (TypeScript, runs everywhere; every other backend is tested against it)',
  isAvailable: async () => ({ available: true, reason: 'plain TypeScript: runs wherever Node runs' }),
  auto: { priority: 10 },
  capabilities: {
    hosts: ['storm-injection', 'neuron-fault-table', 'live-weights', 'partitioned-delivery'],
    offers: [],
    maxBatch: MAX_BATCH,
    maxWorkers: 1,
    exactness: 'exact',
    precisions: PRECISIONS,
  },
  // It copies the connectivity into its wasm memory, or takes a copy of its own where it cannot (ReferenceBackend).
  acceptsLentNetwork: true,
  create(network, choice) {
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the cpu backend is the single-threaded reference: workers must be 1 (got ${shown(workers)}); use --backend workers for threads`);
    return { backend: new ReferenceBackend(network, choice), workers: 1 };
  },
};
