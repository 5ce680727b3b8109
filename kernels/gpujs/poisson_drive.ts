import type { GPU } from 'gpu.js';
import { compileKernel, type GpuKernel, type KernelThis } from './kernel_types.js';

/**
 * PoissonDrive (gpu.js): adds counts x weightPa to one ring slot, over flat
 * [batch, neurons]; counts are 0 outside the drive's population. The counts
 * are drawn on the host by the CPU kernels' counter-based generator (fmix32
 * over uint32 words): gpu.js kernels compute in float32 (and in cpu mode in
 * float64), so 32-bit integer hashing cannot be written portably inside them,
 * and host draws keep every mode's drive identical to the reference's.
 * Math.fround is the float32 store of the CPU kernel's `ring[i] += k * w`
 * (an identity on GPU modes, whose arithmetic is float32 already).
 */
export function poissonDriveKernel(this: KernelThis<Record<string, number>>, ringSlot: Float32Array, counts: Float32Array, weightPa: number): number {
  const s = this.thread.x;
  return Math.fround(ringSlot[s] + counts[s] * weightPa);
}

export function createPoissonDrive(gpu: GPU, batch: number, neuronCount: number): GpuKernel {
  return compileKernel(gpu, poissonDriveKernel as unknown as (...args: never[]) => number, { output: [batch * neuronCount], constants: {} });
}
