import { GpujsBackend } from '../../src/backends/gpujs/gpujs-backend.js';
import { GPUJS_MODES, type GpujsMode } from '../../src/backends/gpujs/gpujs-mode.js';
import type { SimulationBackend, SimulationOptions } from '../../src/backends/backend.js';
import type { Network } from '../../src/model/network.js';

/**
 * The gpujs backend as one entry of a conformance suite: how to make it, and
 * how closely it must follow the cpu reference. The mode comes from
 * NEUROCHAOS_GPUJS_MODE (default cpu, the mode every machine has;
 * bench/gpu-check-gpujs.sh sets webgpu).
 *
 * Tolerance: in cpu mode the kernels evaluate the reference's expressions in
 * the same order with float32 rounding where the reference stores, so spike
 * trains and every state buffer are bit-identical (`exact`). GPU modes compute
 * in float32 throughout (propagators included, no float64 intermediates), so
 * a chaotic network's spike trains part after a while: there only population
 * rates are compared (within 2% over 1 s of simulated time).
 */
export interface ConformanceEntry {
  name: string;
  create(network: Network, options?: SimulationOptions): SimulationBackend;
  exact: boolean;
  /** Relative tolerance of population rates over 1 s. */
  rateTolerance: number;
}

export function gpujsTestMode(): GpujsMode {
  const m = process.env.NEUROCHAOS_GPUJS_MODE ?? 'cpu';
  if (!(GPUJS_MODES as readonly string[]).includes(m)) throw new RangeError(`NEUROCHAOS_GPUJS_MODE must be one of ${GPUJS_MODES.join(', ')} (got ${m})`);
  return m as GpujsMode;
}

export const gpujsConformanceEntry: ConformanceEntry = {
  name: `gpujs (${gpujsTestMode()} mode)`,
  create: (network, options = {}) => new GpujsBackend(network, { ...options, mode: gpujsTestMode() }),
  exact: gpujsTestMode() === 'cpu',
  rateTolerance: 0.02,
};
