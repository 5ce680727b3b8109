/**
 * The WebGPU device the tfjs-webgpu flavour runs on, from the same providers
 * as the native webgpu backend: `navigator.gpu` where the runtime has one
 * (Deno, browsers), else Node's `webgpu` package (Dawn; its native module
 * needs glibc >= 2.38 and the Vulkan loader). One device per process.
 *
 * Types are structural (no @webgpu/types dependency): only what is read here.
 */

/** The adapter a device came from, as reported to the user. */
export interface GpuAdapterReport {
  /** Where navigator.gpu came from: `navigator.gpu` (Deno, browser) or `webgpu package (Dawn)` (Node). */
  provider: string;
  vendor: string;
  architecture: string;
  description: string;
  /** A CPU implementation (lavapipe, SwiftShader, WARP): correct but no faster than the CPU backends. */
  software: boolean;
}

/** The part of GPUAdapterInfo read here. */
interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  description?: string;
  device?: string;
  isFallbackAdapter?: boolean;
}

interface AdapterLike {
  info?: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  features: { has(name: string): boolean };
  limits: Record<string, number>;
  requestDevice(descriptor: unknown): Promise<unknown>;
}

interface GpuLike {
  requestAdapter(options?: unknown): Promise<AdapterLike | null>;
}

export interface WebGpuDevice {
  /** The GPUDevice (typed loosely: tfjs-backend-webgpu takes it as is). */
  device: unknown;
  /** The device's maxStorageBufferBindingSize: tfjs-backend-webgpu binds every tensor whole, so no tensor may be larger. */
  maxBindingBytes: number;
  adapterInfo: AdapterInfoLike | undefined;
  report: GpuAdapterReport;
}

/** Names in adapter descriptions of CPU implementations of Vulkan/D3D (a software adapter may not set isFallbackAdapter). */
const SOFTWARE_DESCRIPTIONS = /llvmpipe|lavapipe|swiftshader|microsoft basic render|warp/i;

/** Whether an adapter is a software one: its own flag, or a known CPU implementation's name. */
export function isSoftwareAdapter(info: AdapterInfoLike | undefined, fallbackFlag = false): boolean {
  if (fallbackFlag || info?.isFallbackAdapter === true) return true;
  return SOFTWARE_DESCRIPTIONS.test(`${info?.description ?? ''} ${info?.architecture ?? ''} ${info?.vendor ?? ''}`);
}

function firstLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split('\n')[0];
}

/** navigator.gpu, installing Dawn's from the `webgpu` package in Node when there is none. */
async function gpuProvider(): Promise<{ gpu: GpuLike; provider: string }> {
  const nav = (globalThis as { navigator?: { gpu?: GpuLike } }).navigator;
  if (nav?.gpu) return { gpu: nav.gpu, provider: 'navigator.gpu' };
  let dawn: { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  try {
    // A variable specifier: the package is optional and its native module loads only where glibc >= 2.38.
    const specifier: string = 'webgpu';
    dawn = (await import(specifier)) as typeof dawn;
  } catch (e) {
    throw new Error(`no navigator.gpu in this runtime, and the webgpu package's Dawn module did not load (${firstLine(e)}); run under Deno (npx deno run -A ...) or on glibc >= 2.38`);
  }
  // tfjs-backend-webgpu reads the GPUBufferUsage/GPUMapMode constants and navigator.gpu from the global scope.
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const g = globalThis as { navigator?: object };
  if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  return { gpu, provider: 'webgpu package (Dawn)' };
}

let pending: Promise<WebGpuDevice> | null = null;

/**
 * The process's WebGPU device for tfjs: a high-performance adapter with its
 * own limits requested (as tfjs-backend-webgpu's own factory does), so large
 * tensors fit. Cached; a failure is not cached (a later call tries again).
 * @throws Error naming the provider tried and why no device came from it
 */
export function webGpuDevice(): Promise<WebGpuDevice> {
  pending ??= acquire().catch((e) => {
    pending = null;
    throw e;
  });
  return pending;
}

async function acquire(): Promise<WebGpuDevice> {
  const { gpu, provider } = await gpuProvider();
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`${provider} has no WebGPU adapter (no GPU with a Vulkan/Metal/D3D12 driver, and no software Vulkan such as Mesa's lavapipe)`);
  const limits = adapter.limits;
  const requiredLimits: Record<string, number> = {};
  for (const k of ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup']) {
    if (typeof limits[k] === 'number') requiredLimits[k] = limits[k];
  }
  const requiredFeatures = adapter.features.has('timestamp-query') ? ['timestamp-query'] : [];
  const device = (await adapter.requestDevice({ requiredFeatures, requiredLimits })) as DeviceLike;
  // Validation errors (an oversized binding, say) are reported here, not thrown: kept for takeDeviceError().
  device.addEventListener?.('uncapturederror', (event) => {
    const message = (event as { error?: { message?: string } }).error?.message ?? 'unknown WebGPU error';
    deviceErrors.push(message.split('\n')[0]);
  });
  void device.lost?.then((info) => deviceErrors.push(`device lost: ${info?.message ?? 'no reason given'}`));
  const info = adapter.info;
  const report: GpuAdapterReport = {
    provider,
    vendor: info?.vendor ?? '',
    architecture: info?.architecture ?? '',
    description: info?.description ?? '',
    software: isSoftwareAdapter(info, adapter.isFallbackAdapter === true),
  };
  return { device, adapterInfo: info, report, maxBindingBytes: device.limits?.maxStorageBufferBindingSize ?? requiredLimits.maxStorageBufferBindingSize ?? 2 ** 27 };
}

interface DeviceLike {
  limits?: { maxStorageBufferBindingSize?: number };
  addEventListener?(type: string, listener: (event: unknown) => void): void;
  lost?: Promise<{ message?: string } | undefined>;
}

const deviceErrors: string[] = [];

/**
 * The WebGPU errors the device reported since the last call (uncaptured
 * validation and out-of-memory errors, device loss), oldest first, and
 * clears them: a computation that raised one produced garbage, not a result.
 */
export function takeDeviceErrors(): string[] {
  return deviceErrors.splice(0, deviceErrors.length);
}

/** One line for selections and availability reasons. */
export function describeAdapter(r: GpuAdapterReport): string {
  const name = [r.description, r.vendor && `vendor ${r.vendor}`, r.architecture && `architecture ${r.architecture}`].filter(Boolean).join(', ');
  return `${r.software ? 'software' : 'hardware'} WebGPU adapter (${name || 'unnamed'}) from ${r.provider}`;
}
