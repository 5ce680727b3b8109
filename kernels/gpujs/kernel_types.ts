import type { GPU, IGPUKernelSettings } from 'gpu.js';

/**
 * A compiled gpu.js kernel as the backend calls it: flat [batch, neurons]
 * arrays in, one flat Float32Array out. Synchronous in cpu and headlessgl
 * modes; a Promise in webgpu mode (WebGPU has no synchronous readback), so
 * callers always await.
 */
export type GpuKernel = ((...args: unknown[]) => Float32Array | Promise<Float32Array>) & { destroy?: () => void };

/** What each kernel's thread sees (declared for the kernel sources; gpu.js supplies it). */
export interface KernelThis<C> {
  thread: { x: number };
  constants: C;
}

export interface KernelSettings {
  output: [number];
  constants: Record<string, number>;
  loopMaxIterations?: number;
}

/**
 * Compiles a kernel function. The source goes in as a string (gpu.js parses
 * it either way), which keeps gpu.js's generic function typings out of ours.
 * `tactic: 'precision'` asks GL modes for highp floats; immutable outputs keep
 * each call's result its own (the backend copies it into the host state).
 */
export function compileKernel(gpu: GPU, source: (...args: never[]) => number, settings: KernelSettings): GpuKernel {
  const kernelSettings: IGPUKernelSettings & { loopMaxIterations: number } = {
    output: settings.output,
    constants: settings.constants,
    loopMaxIterations: settings.loopMaxIterations ?? 1000,
    tactic: 'precision',
    precision: 'single',
    immutable: true,
  };
  return gpu.createKernel(source.toString(), kernelSettings) as unknown as GpuKernel;
}
