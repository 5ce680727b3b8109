import { MAX_BATCH } from '../../config/settings.js';
import { InputError } from '../../util/errors.js';
import type { BackendDescriptor } from '../registry.js';
import { GpujsBackend } from './gpujs-backend.js';
import { GPUJS_MODES, type GpujsMode } from './gpujs-mode.js';

/** The gpu.js mode the shared suites run: NEUROCHAOS_GPUJS_MODE (bench/gpu-check-gpujs.sh sets webgpu), else cpu, the mode every machine has. */
function suiteMode(): GpujsMode {
  const m = process.env.NEUROCHAOS_GPUJS_MODE ?? 'cpu';
  if (!(GPUJS_MODES as readonly string[]).includes(m)) throw new RangeError(`NEUROCHAOS_GPUJS_MODE must be one of ${GPUJS_MODES.join(', ')} (got ${m})`);
  return m as GpujsMode;
}

/**
 * `gpujs`: gpu.js kernels in the best working mode (webgpu, headlessgl,
 * cpu). In cpu mode the kernels evaluate the reference's expressions in the
 * same order with the same rounding (exact); GPU modes compute in float32
 * throughout (float32-per-op).
 */
export const gpujsBackend: BackendDescriptor = {
  name: 'gpujs',
  summary: 'gpu.js kernels: webgpu, headlessgl or plain JavaScript (cpu mode, exact to the reference)',
  // gpu.js is a dependency and its cpu mode works everywhere; the best mode is probed at the first run.
  isAvailable: async () => ({ available: true, reason: 'gpu.js is installed; its cpu mode runs everywhere (webgpu and headlessgl are probed at the first run)' }),
  capabilities: {
    hosts: ['storm-injection', 'neuron-fault-table', 'live-weights', 'partitioned-delivery'],
    offers: [],
    maxBatch: MAX_BATCH,
    maxWorkers: 1,
    // The default mode is the best that works: on a GPU machine a float32 one (the cpu-mode suite variant is exact).
    exactness: 'float32-per-op',
    // Its cpu mode follows the float64 reference bit for bit; it has no single-precision kernels of the CPU's kind.
    precisions: ['float64'],
  },
  create(network, choice) {
    const workers = choice.workers ?? 1;
    if (workers !== 1) throw new InputError('workers', `the gpujs backend runs its kernels from one thread: workers must be 1 (got ${workers})`);
    const mode = choice.gpujsMode;
    if (mode !== undefined && !(GPUJS_MODES as readonly string[]).includes(mode)) throw new InputError('gpujsMode', `must be one of ${GPUJS_MODES.join(', ')} (got "${mode}")`);
    const backend = new GpujsBackend(network, { ...choice, mode });
    return { backend, workers: 1, details: () => ({ gpujs: { mode: backend.mode, probes: backend.modeProbes } }) };
  },
  suiteVariants() {
    const mode = suiteMode();
    return [{ label: `gpujs (${mode} mode)`, choice: { gpujsMode: mode }, exactness: mode === 'cpu' ? 'exact' : 'float32-per-op' }];
  },
  slow: true,
};
