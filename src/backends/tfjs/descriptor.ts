import { PRECISIONS } from '../precision.js';
import { MAX_BATCH } from '../../config/settings.js';
import { backendNotPrepared, InputError } from '../../util/errors.js';
import type { Availability, BackendDescriptor } from '../registry.js';
import { TfjsBackend } from './tfjs-backend.js';
import { loadedTfjs, loadTfjs, TFJS_FLAVOURS, type TfjsFlavour } from './tfjs-runtime.js';

type TfjsName = 'tfjs' | TfjsFlavour;

const SUMMARY: Record<TfjsName, string> = {
  tfjs: 'TensorFlow.js, the best flavour installed (tfjs-node-gpu, tfjs-webgpu on a hardware adapter, tfjs-node, then tfjs-cpu)',
  'tfjs-node-gpu': 'TensorFlow.js on CUDA 11.2 / cuDNN 8.1 (@tensorflow/tfjs-node-gpu, an optional peer)',
  'tfjs-webgpu': 'TensorFlow.js on WebGPU (@tensorflow/tfjs-backend-webgpu; navigator.gpu under Deno or a browser, Dawn in Node)',
  'tfjs-node': 'TensorFlow.js on native libtensorflow (@tensorflow/tfjs-node, an optional peer)',
  'tfjs-cpu': 'TensorFlow.js in plain JavaScript (@tensorflow/tfjs)',
};

/**
 * What `cuda` does not prove: it sees the NVIDIA driver, while
 * libtensorflow 2.9 (tfjs-node-gpu 4.22) needs the CUDA 11.2 and cuDNN 8.1
 * runtime libraries and runs on the CPU without saying so when they are missing.
 */
const CUDA_CAVEAT = '(the driver is present; libtensorflow 2.9 also needs the CUDA 11.2 and cuDNN 8.1 libraries, and without them runs on the CPU silently)';

async function loads(name: TfjsName): Promise<Availability> {
  try {
    const rt = await loadTfjs(name);
    return { available: true, reason: `${rt.flavour} loaded (${rt.reason}${rt.cuda ? `, on a CUDA device ${CUDA_CAVEAT}` : ''})` };
  } catch (e) {
    return { available: false, reason: e instanceof InputError ? e.message.slice(e.field.length + 2) : String(e) };
  }
}

/** auto takes tfjs only on a CUDA device or a hardware WebGPU adapter: without a GPU it is slower than the worker threads. */
async function suitedForAuto(): Promise<Availability> {
  try {
    const rt = await loadTfjs('tfjs');
    if (rt.cuda) return { available: true, reason: `tfjs on a CUDA device (${rt.reason})` };
    if (rt.adapter && !rt.adapter.software) return { available: true, reason: `tfjs on a hardware WebGPU adapter (${rt.reason})` };
    return { available: false, reason: `tfjs has no CUDA device here, nor a hardware WebGPU adapter (best flavour ${rt.flavour}; tfjs without a GPU is slower than the worker threads)` };
  } catch {
    return { available: false, reason: 'no tfjs flavour could be loaded' };
  }
}

function descriptor(name: TfjsName): BackendDescriptor {
  return {
    name,
    summary: SUMMARY[name],
    isAvailable: () => loads(name),
    ...(name === 'tfjs' ? { auto: { priority: 30, suited: suitedForAuto }, picksAmong: TFJS_FLAVOURS } : {}),
    capabilities: {
      // No partition: delivery is one gather per step with no per-synapse cut; no worker threads.
      // No partitioned-delivery: its delivery is one gather per step with no per-synapse cut.
      hosts: ['storm-injection', 'neuron-fault-table', 'live-weights'],
      offers: [],
      maxBatch: MAX_BATCH,
      maxWorkers: 1,
      exactness: 'float32-per-op',
      precisions: PRECISIONS,
    },
    async prepare() {
      const rt = await loadTfjs(name);
      return `tfjs on ${rt.flavour}: ${rt.reason}`;
    },
    create(network, choice) {
      const rt = loadedTfjs(name);
      if (!rt) throw backendNotPrepared(name);
      const workers = choice.workers ?? 1;
      if (workers !== 1) throw new InputError('workers', `the tfjs backend runs on one device: workers must be 1 (got ${workers})`);
      return { backend: new TfjsBackend(network, rt, choice), workers: 1, selection: `tfjs on ${rt.flavour}: ${rt.reason}` };
    },
  };
}

/** `tfjs` (the best flavour installed) and each flavour by name. */
export const tfjsBackends: BackendDescriptor[] = (['tfjs', ...TFJS_FLAVOURS] as const).map(descriptor);
