import { BackendRegistry } from './registry.js';
import { workersBackend } from './workers/descriptor.js';
import { cpuBackend } from './cpu/descriptor.js';
import { tfjsBackends } from './tfjs/descriptor.js';
import { gpujsBackend } from './gpujs/descriptor.js';
import { webgpuBackend } from './webgpu/descriptor.js';

/**
 * Every backend, one line each, in the order help texts list them. A new
 * backend: its folder with a descriptor.ts, and one line here.
 */
export const BACKENDS = new BackendRegistry([
  workersBackend,
  cpuBackend,
  ...tfjsBackends,
  gpujsBackend,
  webgpuBackend,
]);

/** The backend a choice without one gets. */
export const DEFAULT_BACKEND = 'workers';

/** The backend every other one is compared with (conformance, fuzz equivalence). */
export const REFERENCE_BACKEND = 'cpu';
