import { PRECISIONS } from '../precision.js';
import { MAX_BATCH } from '../../config/settings.js';
import { backendNotPrepared, backendUnavailable, InputError } from '../../util/errors.js';
import type { Availability, BackendChoice, BackendDescriptor } from '../registry.js';
import { acquireDevice, describeAdapter, injectedDevice, type AcquiredDevice } from './device-provider.js';
import { WebGpuBackend } from './webgpu-backend.js';

/** The device prepare() obtained (create() is synchronous; acquiring a device is not). */
let prepared: AcquiredDevice | null = null;

async function availability(): Promise<Availability> {
  try {
    const got = await acquireDevice();
    return { available: true, reason: `WebGPU device on ${describeAdapter(got.adapter)}` };
  } catch (e) {
    return { available: false, reason: e instanceof Error ? e.message : String(e) };
  }
}

/** auto takes webgpu only on a hardware adapter: on a software one (lavapipe, SwiftShader) the worker threads are faster. */
async function suitedForAuto(): Promise<Availability> {
  const here = await availability();
  if (!here.available) return here;
  const got = await acquireDevice();
  if (got.adapter.software) return { available: false, reason: `webgpu has only a software adapter here (${describeAdapter(got.adapter)}): correct, but slower than the worker threads` };
  return here;
}

function deviceOf(choice: BackendChoice): AcquiredDevice | null {
  return choice.gpuDevice ? injectedDevice(choice.gpuDevice) : prepared;
}

/**
 * `webgpu`: WGSL compute kernels (kernels/webgpu) on a GPUDevice from the
 * caller, navigator.gpu (Deno, browsers) or the optional `webgpu` package
 * (Dawn) in Node. Float32 on the device and fixed-point delivery
 * (float32-per-op class).
 */
export const webgpuBackend: BackendDescriptor = {
  name: 'webgpu',
  summary: 'WGSL compute kernels on a WebGPU device (navigator.gpu under Deno or a browser, Dawn in Node, or an injected GPUDevice)',
  isAvailable: availability,
  auto: { priority: 40, suited: suitedForAuto },
  capabilities: {
    hosts: ['storm-injection', 'neuron-fault-table', 'live-weights', 'partitioned-delivery'],
    offers: [],
    maxBatch: MAX_BATCH,
    maxWorkers: 1,
    exactness: 'float32-per-op',
    precisions: PRECISIONS,
  },
  async prepare(choice) {
    if (choice.gpuDevice) return `webgpu on ${describeAdapter(injectedDevice(choice.gpuDevice).adapter)}`;
    try {
      prepared = await acquireDevice();
    } catch (e) {
      throw backendUnavailable('webgpu', e instanceof Error ? e.message : String(e));
    }
    return `webgpu on ${describeAdapter(prepared.adapter)}`;
  },
  create(network, choice) {
    const got = deviceOf(choice);
    if (!got) throw backendNotPrepared('webgpu');
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the webgpu backend runs on one device: workers must be 1 (got ${workers})`);
    const backend = new WebGpuBackend(network, got, choice);
    return { backend, workers: 1, selection: `webgpu on ${describeAdapter(got.adapter)}`, details: () => ({ webgpu: backend.gpuCounters() }) };
  },
};
