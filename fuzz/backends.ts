import { ReferenceBackend } from '../src/backends/reference-backend.js';
import { WorkersBackend } from '../src/backends/workers/workers-backend.js';
import type { FuzzBackendEntry } from '../src/fuzz/chaos-rig.js';
import { GpujsBackend } from '../src/backends/gpujs/gpujs-backend.js';

/**
 * The backends every chaos property runs on. Another backend plugs in with
 * one entry here (workers: 0 unless it is the worker-thread engine).
 */
export const FUZZ_BACKENDS: FuzzBackendEntry[] = [
  { name: 'cpu', workers: 0, create: (network, options) => new ReferenceBackend(network, options) },
  // A short restart interval, so killed workers replay from a recent point.
  { name: 'workers', workers: 2, create: (network, options) => new WorkersBackend(network, { ...options, workers: 2, checkpointEverySteps: 50 }) },
  // gpu.js in its cpu mode: exact to the reference, so it also runs the equivalence property. (tfjs is left out: it refuses partitions, and its float32-per-op state is not bit-comparable.)
  { name: 'gpujs', workers: 0, slow: true, create: (network, options) => new GpujsBackend(network, { ...options, mode: 'cpu' }) },
];
