import { createRequire } from 'node:module';
import { GPU } from 'gpu.js';

/** The gpu.js modes this backend can run on, best first. */
export const GPUJS_MODES = ['webgpu', 'headlessgl', 'cpu'] as const;
export type GpujsMode = (typeof GPUJS_MODES)[number];

export interface ModeProbe {
  mode: GpujsMode;
  usable: boolean;
  /** Why a mode is not usable (or what was found when it is). */
  reason: string;
}

export interface ModeChoice {
  mode: GpujsMode;
  gpu: GPU;
  /** Every mode tried, in order, with what was found. */
  probes: ModeProbe[];
}

const require = createRequire(import.meta.url);

function firstLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0].slice(0, 300);
}

/** gpu.js compiles a tiny kernel in the mode and checks its answer: a mode that loads but computes wrongly is not usable. */
async function smokeTest(gpu: GPU): Promise<string | null> {
  const k = gpu.createKernel('function (a) { return a[this.thread.x] * 2 + 1; }', { output: [4] }) as unknown as (a: Float32Array) => Float32Array | Promise<Float32Array>;
  const out = await k(Float32Array.of(0, 1, 2, 3));
  const ok = out.length === 4 && out[0] === 1 && out[3] === 7;
  return ok ? null : `smoke kernel returned ${Array.from(out).join(',')} instead of 1,3,5,7`;
}

/**
 * WebGPU in Node needs the `webgpu` package (Dawn) to provide navigator.gpu:
 * its native module may not load (it needs GLIBC 2.38 / GLIBCXX 3.4.32 on
 * Linux x64), and when it loads there may be no adapter (no Vulkan driver).
 */
async function probeWebGpu(): Promise<ModeProbe> {
  const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
  if (!nav?.gpu) {
    let dawn: { create: (flags: string[]) => unknown; globals: Record<string, unknown> };
    try {
      dawn = (await import('webgpu')) as unknown as typeof dawn;
    } catch (e) {
      return { mode: 'webgpu', usable: false, reason: `the webgpu package's Dawn native module did not load: ${firstLine(e)}` };
    }
    try {
      for (const [k, v] of Object.entries(dawn.globals)) if (!(k in globalThis)) (globalThis as Record<string, unknown>)[k] = v;
      const gpuObject = dawn.create([]);
      if (nav) Object.defineProperty(nav, 'gpu', { value: gpuObject, configurable: true });
      else Object.defineProperty(globalThis, 'navigator', { value: { gpu: gpuObject }, configurable: true, writable: true });
    } catch (e) {
      return { mode: 'webgpu', usable: false, reason: `Dawn loaded but navigator.gpu could not be created: ${firstLine(e)}` };
    }
  }
  let available = false;
  try {
    available = await GPU.isWebGPUAvailable();
  } catch (e) {
    return { mode: 'webgpu', usable: false, reason: `requesting a WebGPU adapter failed: ${firstLine(e)}` };
  }
  if (!available) return { mode: 'webgpu', usable: false, reason: 'no WebGPU adapter (Dawn found no Vulkan device: no GPU, or no Vulkan driver / libvulkan.so.1)' };
  return { mode: 'webgpu', usable: true, reason: 'a WebGPU adapter answered' };
}

/** headless-gl is an optional dependency of gpu.js; its native build often fails or is skipped. */
function probeHeadlessGl(): ModeProbe {
  if (GPU.isHeadlessGLSupported) return { mode: 'headlessgl', usable: true, reason: 'headless-gl created a context' };
  try {
    const createContext = require('gl') as (w: number, h: number) => unknown;
    const ctx = createContext(1, 1);
    if (!ctx) return { mode: 'headlessgl', usable: false, reason: 'headless-gl loaded but created no GL context (no display / no GL driver)' };
    return { mode: 'headlessgl', usable: false, reason: 'headless-gl loaded but gpu.js does not support it here' };
  } catch (e) {
    const msg = firstLine(e);
    const missing = /Cannot find module 'gl'/.test(msg);
    return { mode: 'headlessgl', usable: false, reason: missing ? "the optional dependency gl (headless-gl) is not installed (its native build failed or was skipped)" : `headless-gl did not load: ${msg}` };
  }
}

/**
 * Picks gpu.js's best working mode, or the one asked for: webgpu, then
 * headlessgl, then cpu (always works). A mode counts as working when its
 * library loads, it finds a device and a smoke kernel computes the right
 * answer. Never throws for an unusable mode unless that mode was required.
 */
export async function chooseGpujsMode(required?: GpujsMode): Promise<ModeChoice> {
  const probes: ModeProbe[] = [];
  const order = required ? [required] : GPUJS_MODES;
  for (const mode of order) {
    let probe: ModeProbe = mode === 'webgpu' ? await probeWebGpu() : mode === 'headlessgl' ? probeHeadlessGl() : { mode: 'cpu', usable: true, reason: 'plain JavaScript (always available)' };
    if (probe.usable) {
      let gpu: GPU | null = null;
      try {
        gpu = new GPU({ mode });
        const wrong = await smokeTest(gpu);
        if (wrong === null) {
          probes.push(probe);
          return { mode, gpu, probes };
        }
        probe = { mode, usable: false, reason: wrong };
      } catch (e) {
        probe = { mode, usable: false, reason: `gpu.js could not run a kernel: ${firstLine(e)}` };
      }
      gpu?.destroy();
    }
    probes.push(probe);
  }
  const last = probes[probes.length - 1];
  throw new Error(`gpujs mode ${last.mode} is not usable here: ${last.reason}`);
}
