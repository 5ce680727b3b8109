import { existsSync, readdirSync } from 'node:fs';
import type { KernelBackend } from '@tensorflow/tfjs';
import type { Tf } from '../../../kernels/tfjs/types.js';
import { InputError } from '../../util/errors.js';
import { describeAdapter, webGpuDevice, type GpuAdapterReport } from './webgpu-device.js';

/** The TensorFlow.js flavours, fastest first (tfjs-webgpu on a hardware adapter; `tfjs` passes over a software one). */
export const TFJS_FLAVOURS = ['tfjs-node-gpu', 'tfjs-webgpu', 'tfjs-node', 'tfjs-cpu'] as const;
export type TfjsFlavour = (typeof TFJS_FLAVOURS)[number];

const PACKAGE: Record<TfjsFlavour, string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-webgpu': '@tensorflow/tfjs-backend-webgpu',
  'tfjs-node': '@tensorflow/tfjs-node',
  'tfjs-cpu': '@tensorflow/tfjs',
};

/** What a GPU user runs to get a flavour (the native ones download libtensorflow at install, outside npm). */
export const INSTALL_COMMAND: Record<TfjsFlavour, string> = {
  'tfjs-node-gpu': 'npm install @tensorflow/tfjs-node-gpu@4.22.0   (needs CUDA 11.2 and cuDNN 8.1 on Linux x64, and network access to storage.googleapis.com at install)',
  'tfjs-webgpu': 'npm install @tensorflow/tfjs-backend-webgpu@4.22.0   (a dependency; it needs a WebGPU device: run under Deno (npx deno run -A ...), in a browser, or in Node where the webgpu package\'s Dawn module loads (glibc >= 2.38))',
  'tfjs-node': 'npm install @tensorflow/tfjs-node@4.22.0   (downloads libtensorflow from storage.googleapis.com at install)',
  'tfjs-cpu': 'npm install @tensorflow/tfjs@4.22.0',
};

export interface TfjsRuntime {
  tf: Tf;
  flavour: TfjsFlavour;
  /** The tfjs backend name in use: `tensorflow` (native), `webgpu` or `cpu` (pure JS). */
  tfBackend: string;
  /** True when the flavour runs on a CUDA device the driver reports. */
  cuda: boolean;
  /**
   * Whether tensors can be read synchronously (dataSync). tfjs-backend-webgpu
   * reads synchronously only through an OffscreenCanvas, which Deno and Node
   * lack: the backend then reads spikes once per chunk and the state once per run, awaited.
   */
  syncReads: boolean;
  /** tfjs-webgpu: the adapter its device came from. */
  adapter: GpuAdapterReport | null;
  /** Largest tensor in bytes the device binds (tfjs-webgpu: maxStorageBufferBindingSize; Infinity elsewhere). */
  maxTensorBytes: number;
  /** Why this flavour: what was tried and what failed. */
  reason: string;
}

/** The reason with the adapter, for the WebGPU flavour. */
function reasonOf(rt: TfjsRuntime, why: string): string {
  return rt.adapter ? `${why}; ${describeAdapter(rt.adapter)}` : why;
}

const loaded = new Map<TfjsFlavour, TfjsRuntime>();
let best: TfjsRuntime | null = null;

/** A CUDA device the kernel driver knows of (the GPU build of libtensorflow falls back to the CPU silently without one). */
export function cudaDevicePresent(): boolean {
  try {
    return existsSync('/proc/driver/nvidia/gpus') && readdirSync('/proc/driver/nvidia/gpus').length > 0;
  } catch {
    return false;
  }
}

async function importFlavour(flavour: TfjsFlavour): Promise<TfjsRuntime> {
  const cached = loaded.get(flavour);
  if (cached) return cached;
  // A variable specifier: the native packages are optional peers, absent at build time.
  const webgpu = flavour === 'tfjs-webgpu';
  const specifier: string = webgpu ? '@tensorflow/tfjs' : PACKAGE[flavour];
  // tfjs-webgpu: the device first (a clear reason when there is none), then the package.
  const gpu = webgpu ? await webGpuDevice() : null;
  const mod = (await import(specifier)) as Tf & { default?: Tf };
  const tf: Tf = typeof mod.tensor === 'function' ? mod : (mod.default as Tf);
  // PROD silences tfjs's console hints (library code never writes to the console) and skips debug checks.
  tf.env().set('PROD', true);
  const tfBackend = flavour === 'tfjs-cpu' ? 'cpu' : webgpu ? 'webgpu' : 'tensorflow';
  if (gpu) await registerWebGpu(tf, gpu.device, gpu.adapterInfo);
  if (!(await tf.setBackend(tfBackend))) throw new Error(`tfjs backend "${tfBackend}" did not initialise`);
  await tf.ready();
  const rt: TfjsRuntime = { tf, flavour, tfBackend, cuda: flavour === 'tfjs-node-gpu' && cudaDevicePresent(), syncReads: !webgpu, adapter: gpu?.report ?? null, maxTensorBytes: gpu?.maxBindingBytes ?? Number.POSITIVE_INFINITY, reason: '' };
  loaded.set(flavour, rt);
  return rt;
}

/**
 * Registers tfjs's `webgpu` backend on our device (replacing the one the
 * package registers on import where navigator.gpu exists), so the adapter
 * is the one reported and Node's Dawn device serves too.
 */
async function registerWebGpu(tf: Tf, device: unknown, adapterInfo: unknown): Promise<void> {
  const specifier: string = PACKAGE['tfjs-webgpu'];
  const { WebGPUBackend } = (await import(specifier)) as { WebGPUBackend: new (device: unknown, info?: unknown) => KernelBackend };
  if (webGpuRegistered) return;
  // Unregistering before anything initialised it: the package's own factory would ask navigator.gpu for a second device.
  tf.removeBackend('webgpu');
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapterInfo), 3);
  webGpuRegistered = true;
}
let webGpuRegistered = false;

function missing(flavour: TfjsFlavour, error: unknown): InputError {
  const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
  // The package is a dependency: what is missing is a WebGPU device, and installing would not help.
  if (flavour === 'tfjs-webgpu' && !/Cannot find (package|module)/.test(why)) return new InputError('backend', `tfjs-webgpu is not available: ${why}`);
  return new InputError('backend', `${flavour} is not available (${PACKAGE[flavour]} could not be loaded: ${why}); install it with: ${INSTALL_COMMAND[flavour]}`);
}

/**
 * Loads TensorFlow.js: the named flavour, or for `tfjs` the best one present
 * (tfjs-node-gpu, then tfjs-node, then the pure-JS tfjs). Cached per
 * process. A named flavour that is missing is an InputError with the
 * install command.
 */
export async function loadTfjs(choice: 'tfjs' | TfjsFlavour = 'tfjs'): Promise<TfjsRuntime> {
  if (choice !== 'tfjs') {
    try {
      const rt = await importFlavour(choice);
      return { ...rt, reason: reasonOf(rt, `${choice} asked for`) };
    } catch (e) {
      throw missing(choice, e);
    }
  }
  if (best) return best;
  const tried: string[] = [];
  for (const flavour of TFJS_FLAVOURS) {
    try {
      const rt = await importFlavour(flavour);
      if (rt.adapter?.software) {
        // A software adapter computes on the CPU, behind a GPU API's overhead: the flavours below are faster.
        tried.push(`tfjs-webgpu passed over: ${describeAdapter(rt.adapter)}`);
        continue;
      }
      best = { ...rt, reason: reasonOf(rt, tried.length === 0 ? `${flavour} is the best flavour installed` : `the best that loads; passed over: ${tried.join('; ')}`) };
      return best;
    } catch (e) {
      tried.push(flavour === 'tfjs-webgpu' ? `tfjs-webgpu has no WebGPU device: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` : `${flavour} not installed: ${PACKAGE[flavour]} could not be loaded`);
      if (flavour === 'tfjs-cpu') throw missing(flavour, e);
    }
  }
  throw new Error('unreachable');
}

/** The runtime `loadTfjs(choice)` loaded, if it has run (createBackend is synchronous and needs it done). */
export function loadedTfjs(choice: 'tfjs' | TfjsFlavour = 'tfjs'): TfjsRuntime | null {
  if (choice === 'tfjs') return best;
  const rt = loaded.get(choice);
  return rt ? { ...rt, reason: reasonOf(rt, `${choice} asked for`) } : null;
}
