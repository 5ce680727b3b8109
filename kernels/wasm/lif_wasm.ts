import { readFileSync } from 'node:fs';

/**
 * The WebAssembly build of the LIF update (source: assembly/lif_step.ts,
 * built by `npm run build:wasm` into kernels/wasm/lif_step.wasm, which is
 * committed; test/kernels/wasm/lif_wasm_build.test.ts checks that a fresh
 * build gives the same bytes). The same update as kernels/cpu/lif_run.ts,
 * four neurons per iteration with 128-bit SIMD, bit for bit (see the source's
 * header for why). The JavaScript kernels stay the readable reference and
 * run wherever the state is not in a wasm memory (worker shards, faulted
 * ranges); the conformance and kernel tests hold the two equal.
 */

/**
 * One kernel: neurons [from, to) with state pointers already offset to the
 * replica (vp, exp, inp, refp: float32/int32 arrays, byte addresses) and the
 * ring slot (rexp, rinp); spikes written from index `count` at spikesp.
 * lut/thr/key/wPoisson: the fused Poisson drive (lifPoisson and
 * lifGuardedPoisson only); cap: the guards' cap in pA (guarded only).
 * Returns the new spike count.
 */
export type LifWasmKernel = (
  from: number, to: number,
  vp: number, exp: number, inp: number, refp: number, rexp: number, rinp: number, spikesp: number, count: number,
  lut: number, thr: number, key: number, wPoisson: number,
  el: number, th: number, reset: number, dcTerm: number, p22: number, p11ex: number, p11in: number, p21ex: number, p21in: number, refractorySteps: number, cap: number,
) => number;

export interface LifWasmExports {
  lifPlain: LifWasmKernel;
  lifPoisson: LifWasmKernel;
  lifGuarded: LifWasmKernel;
  lifGuardedPoisson: LifWasmKernel;
  /** Where the last guarded run stopped: `to`, or the neuron that failed a guard test (untouched). */
  stoppedAt(): number;
}

/** Path of the committed binary, from this file's place in dist/kernels/wasm/ (or kernels/wasm/). */
export const LIF_WASM_URL = new URL(import.meta.url.includes('/dist/') ? '../../../kernels/wasm/lif_step.wasm' : './lif_step.wasm', import.meta.url);

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled module, or null where it cannot run: the engine lacks wasm
 * SIMD, the binary is missing, or NEUROCHAOS_WASM=0 asks for the JavaScript
 * kernels (for comparison). Compiled once per thread.
 */
export function lifWasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (process.env.NEUROCHAOS_WASM === '0' || typeof WebAssembly !== 'object') return compiled;
  try {
    const bytes = readFileSync(LIF_WASM_URL);
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** The kernels over `memory` (a memory sized once and never grown: the state's views stay valid). */
export function instantiateLifWasm(module: WebAssembly.Module, memory: WebAssembly.Memory): LifWasmExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as LifWasmExports;
}
