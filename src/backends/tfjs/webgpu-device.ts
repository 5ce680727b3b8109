import { acquireDevice, describeAdapter, type AdapterReport } from '../webgpu/device-provider.js';

/**
 * The WebGPU device the tfjs-webgpu flavour runs on: the process's shared
 * device from the native webgpu backend's providers
 * (src/backends/webgpu/device-provider.ts: navigator.gpu under Deno or a
 * browser, else Node's `webgpu` package, Dawn), so tfjs-webgpu and the
 * native backend report the same adapter and share one device.
 */
export type GpuAdapterReport = AdapterReport;
export { describeAdapter };

export interface WebGpuDevice {
  device: GPUDevice;
  adapterInfo: GPUAdapterInfo | undefined;
  report: GpuAdapterReport;
  /** The device's maxStorageBufferBindingSize: tfjs-backend-webgpu binds every tensor whole, so no tensor may be larger. */
  maxBindingBytes: number;
}

const deviceErrors: string[] = [];
const watched = new WeakSet<GPUDevice>();

/**
 * The shared device, with its uncaptured errors (validation, out of memory)
 * and its loss recorded for takeDeviceErrors(). tfjs-backend-webgpu also
 * tests `navigator.gpu` before it runs: in Node (Dawn's device, no
 * navigator.gpu) a marker object is installed that offers no adapter of its
 * own, so tfjs cannot open a second device.
 * @throws Error listing why each provider gave no device
 */
export async function webGpuDevice(): Promise<WebGpuDevice> {
  const got = await acquireDevice();
  const device = got.device;
  if (!watched.has(device)) {
    watched.add(device);
    device.addEventListener('uncapturederror', (event) => deviceErrors.push((event as GPUUncapturedErrorEvent).error.message.split('\n')[0]));
    void device.lost.then((info) => deviceErrors.push(`device lost: ${info.message || info.reason}`));
  }
  const g = globalThis as { navigator?: { gpu?: unknown } };
  if (!g.navigator?.gpu) {
    const marker = { requestAdapter: async () => null, getPreferredCanvasFormat: () => 'rgba8unorm' };
    if (g.navigator) Object.defineProperty(g.navigator, 'gpu', { value: marker, configurable: true });
    else Object.defineProperty(globalThis, 'navigator', { value: { gpu: marker }, configurable: true, writable: true });
  }
  const info = (device as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return { device, adapterInfo: info, report: got.adapter, maxBindingBytes: device.limits.maxStorageBufferBindingSize };
}

/**
 * The WebGPU errors the device reported since the last call (uncaptured
 * validation and out-of-memory errors, device loss), oldest first, and
 * clears them: a computation that raised one produced garbage, not a result.
 */
export function takeDeviceErrors(): string[] {
  return deviceErrors.splice(0, deviceErrors.length);
}
