import { PRECISIONS } from '../precision.js';
import { DEFAULT_CHECKPOINT_EVERY_STEPS, defaultWorkerCount, MAX_BATCH, MAX_WORKERS } from '../../config/settings.js';
import type { BackendDescriptor } from '../registry.js';
import { WorkersBackend } from './workers-backend.js';

/** `workers`: the worker-thread engine, bit for bit the reference, with a supervisor that survives lost workers. */
export const workersBackend: BackendDescriptor = {
  name: 'workers',
  summary: 'worker threads, one shard of neurons each (bit for bit the reference; survives lost workers)',
  isAvailable: async () => ({ available: true, reason: `worker threads and SharedArrayBuffer are built into Node; ${defaultWorkerCount()} core(s) here` }),
  auto: { priority: 20 },
  capabilities: {
    hosts: ['storm-injection', 'neuron-fault-table', 'live-weights', 'partitioned-delivery', 'shards', 'shard-supervision'],
    offers: ['shard-layout', 'shard-supervision'],
    maxBatch: MAX_BATCH,
    maxWorkers: MAX_WORKERS,
    exactness: 'exact',
    precisions: PRECISIONS,
  },
  // Its live connectivity is a copy of its own where the network's is lent (sharedSynapses, or the shared wasm memory's copy).
  acceptsLentNetwork: true,
  create(network, choice) {
    const backend = new WorkersBackend(network, { ...choice, workers: choice.workers ?? defaultWorkerCount(), checkpointEverySteps: choice.checkpointEverySteps ?? DEFAULT_CHECKPOINT_EVERY_STEPS });
    return { backend, workers: backend.workers };
  },
  // A short restart interval in the suites, so a killed worker replays from a recent point.
  suiteVariants: () => [
    { label: 'workers (1 worker)', choice: { workers: 1 } },
    { label: 'workers (2 workers)', choice: { workers: 2, checkpointEverySteps: 50 } },
  ],
};
