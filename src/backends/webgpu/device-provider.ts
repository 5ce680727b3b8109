/// <reference types="@webgpu/types" />

/**
 * Where the webgpu backend's GPUDevice comes from, in this order:
 * 1. a device the caller injects (SimulationOptions.gpuDevice: a browser page,
 *    a library user who already holds one);
 * 2. `navigator.gpu` (Deno, browsers);
 * 3. in Node, the `webgpu` npm package (Dawn's Node module), imported at run
 *    time: it is optional, and where it cannot load (Dawn needs glibc >= 2.38,
 *    GLIBCXX_3.4.32) the reason says so.
 * The backend is written against the standard WebGPU API only; it never asks
 * which of these it got.
 */

/** What the backend reports about the adapter it runs on. */
export interface AdapterReport {
  /** Where the device came from: injected, navigator.gpu, or the webgpu package (Dawn). */
  provider: 'injected' | 'navigator.gpu' | 'webgpu package';
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** A CPU implementation (lavapipe, llvmpipe, SwiftShader, WARP) or a fallback adapter: correct, not fast. */
  software: boolean;
  /** Providers tried before this one, and why each was not used. */
  passedOver: string[];
}

export interface AcquiredDevice {
  device: GPUDevice;
  adapter: AdapterReport;
}

const SOFTWARE_NAMES = /llvmpipe|lavapipe|swiftshader|software|warp|microsoft basic render/i;

/** Whether adapter info names a CPU implementation. */
export function isSoftwareAdapter(info: Partial<GPUAdapterInfo> & { isFallbackAdapter?: boolean }, fallback: boolean): boolean {
  if (fallback || info.isFallbackAdapter === true) return true;
  return SOFTWARE_NAMES.test([info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' '));
}

/** PCI vendor ids some implementations report in place of a name (Deno reports Mesa's as 65541). */
const VENDOR_IDS: Record<number, string> = { 0x10de: 'nvidia', 0x1002: 'amd', 0x8086: 'intel', 0x10005: 'mesa', 0x1ae0: 'google', 0x106b: 'apple', 0x13b5: 'arm', 0x5143: 'qualcomm' };

function vendorName(vendor: string | undefined): string {
  if (vendor === undefined) return '';
  if (!/^\d+$/.test(vendor)) return vendor;
  return VENDOR_IDS[Number(vendor)] ?? `vendor 0x${Number(vendor).toString(16)}`;
}

function report(provider: AdapterReport['provider'], info: Partial<GPUAdapterInfo> | undefined, fallback: boolean, passedOver: string[]): AdapterReport {
  const i = info ?? {};
  return {
    provider,
    vendor: vendorName(i.vendor),
    architecture: i.architecture ?? '',
    device: i.device ?? '',
    description: i.description ?? '',
    software: isSoftwareAdapter(i, fallback),
    passedOver,
  };
}

/** One line: vendor, architecture, software or hardware, provider. */
export function describeAdapter(a: AdapterReport): string {
  const name = [a.vendor, a.architecture, a.description || (a.device === '0' ? '' : a.device)].filter((x) => x !== '').join(' ') || 'unnamed adapter';
  return `${name} (${a.software ? 'software' : 'hardware'} adapter, via ${a.provider})`;
}

/**
 * Limits the backend asks for: the adapter's own (WebGPU's defaults are far
 * below what GPUs offer: 8 storage buffers per stage, 128 MiB per binding).
 */
function requiredLimits(adapter: GPUAdapter): Record<string, number> {
  const want = ['maxStorageBuffersPerShaderStage', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupsPerDimension'] as const;
  const out: Record<string, number> = {};
  for (const k of want) {
    const v = (adapter.limits as unknown as Record<string, number>)[k];
    if (typeof v === 'number') out[k] = v;
  }
  return out;
}

async function deviceFrom(gpu: GPU, provider: AdapterReport['provider'], passedOver: string[]): Promise<AcquiredDevice> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error(`${provider} offers no WebGPU adapter (no GPU, and no software Vulkan such as Mesa's lavapipe: apt-get install mesa-vulkan-drivers)`);
  const fallback = (adapter as unknown as { isFallbackAdapter?: boolean }).isFallbackAdapter === true;
  const device = await adapter.requestDevice({ requiredLimits: requiredLimits(adapter) });
  return { device, adapter: report(provider, adapter.info, fallback, passedOver) };
}

/** The glibc version of this process, when it can be read (Linux only). */
function glibcVersion(): string | null {
  try {
    const r = (process as unknown as { report?: { getReport(): { header?: { glibcVersionRuntime?: string } } } }).report?.getReport();
    return r?.header?.glibcVersionRuntime ?? null;
  } catch {
    return null;
  }
}

/** Why Dawn's Node module did not load, in words a user can act on. */
export function explainDawnFailure(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if ((e as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' && /'webgpu'/.test(msg)) return 'the optional webgpu package (Dawn) is not installed (npm install webgpu)';
  if (/GLIBC|GLIBCXX/.test(msg)) {
    const glibc = glibcVersion();
    return `the webgpu package (Dawn's Node module) cannot load on this system: it needs glibc >= 2.38 and libstdc++ with GLIBCXX_3.4.32 (Ubuntu 24.04, Debian 13), this system has glibc ${glibc ?? 'older'} (${msg.split('\n')[0]}); run under Deno instead: npx deno run -A bin/neurochaos.js ...`;
  }
  return `the webgpu package (Dawn) failed to load: ${msg.split('\n')[0]}`;
}

let shared: Promise<AcquiredDevice> | null = null;

/**
 * The process's shared device (acquired once: an adapter and a device are
 * heavy, and every webgpu backend of the process can share one). Rejects
 * with an Error whose message lists why each provider was not used.
 */
export function acquireDevice(): Promise<AcquiredDevice> {
  shared ??= acquire().catch((e) => {
    shared = null;
    throw e;
  });
  return shared;
}

async function acquire(): Promise<AcquiredDevice> {
  const passedOver: string[] = [];
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) {
    try {
      return await deviceFrom(nav.gpu, 'navigator.gpu', passedOver);
    } catch (e) {
      passedOver.push(`navigator.gpu: ${e instanceof Error ? e.message : String(e)}`);
    }
  } else {
    passedOver.push('navigator.gpu: not offered by this runtime (Node has none; Deno and browsers do)');
  }
  const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== 'undefined';
  if (!isDeno) {
    let gpu: GPU | null = null;
    try {
      // A variable specifier: the package is optional, and bundlers must not resolve it at build time.
      const name = 'webgpu';
      const dawn = (await import(name)) as { create(options: string[]): GPU; globals: object };
      Object.assign(globalThis, dawn.globals);
      gpu = dawn.create([]);
    } catch (e) {
      passedOver.push(explainDawnFailure(e));
    }
    if (gpu) {
      try {
        return await deviceFrom(gpu, 'webgpu package', passedOver);
      } catch (e) {
        passedOver.push(`webgpu package: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }
  throw new Error(`no WebGPU device: ${passedOver.join('; ')}`);
}

/** The adapter report of an injected device (its adapter is not reachable from a GPUDevice; adapterInfo is, where implemented). */
export function injectedDevice(device: GPUDevice): AcquiredDevice {
  const info = (device as unknown as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
  return { device, adapter: report('injected', info, false, []) };
}
