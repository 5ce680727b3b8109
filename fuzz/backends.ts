import { ReferenceBackend } from '../src/backends/reference-backend.js';
import { WorkersBackend } from '../src/backends/workers/workers-backend.js';
import type { FuzzBackendEntry } from '../src/fuzz/chaos-rig.js';

/**
 * The backends every chaos property runs on. Another backend plugs in with
 * one entry here (workers: 0 unless it is the worker-thread engine).
 */
export const FUZZ_BACKENDS: FuzzBackendEntry[] = [
  { name: 'cpu', workers: 0, create: (network, options) => new ReferenceBackend(network, options) },
  // A short restart interval, so killed workers replay from a recent point.
  { name: 'workers', workers: 2, create: (network, options) => new WorkersBackend(network, { ...options, workers: 2, checkpointEverySteps: 50 }) },
];
