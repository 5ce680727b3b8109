import { readFileSync } from 'node:fs';

/**
 * The WebAssembly build of the CPU kernels (source: assembly/, entry
 * assembly/cpu_kernels.ts, built by `npm run build:wasm` into
 * kernels/wasm/cpu_kernels.wasm, which is committed;
 * test/kernels/wasm/cpu_wasm_build.test.ts checks that a fresh build gives
 * the same bytes): the LIF update of kernels/cpu/lif_run.ts with 128-bit SIMD
 * (float64: f64x2, float32: f32x4)
 * and the delivery of kernels/cpu/deliver_spikes.ts (whole rows) and of the
 * worker shards' row slices (src/backends/workers/row-slices.ts), bit for
 * bit (see the sources' headers for why). The JavaScript kernels stay the readable
 * reference and run wherever the state is not in a wasm memory (faulted
 * ranges, partitions, storms); the conformance and kernel tests hold
 * the two equal.
 */

/**
 * assembly/lif_step.ts lifPlain, lifGuarded and lifGuardedInputs: neurons
 * [from, to) with state pointers already offset to the replica (vp, exp,
 * inp, refp: float32/int32 arrays, byte addresses) and the ring slot (rexp,
 * rinp); spikes written from index `count` at spikesp; `params`: byte
 * address of the population's parameter block (LIF_PARAM_COUNT float64,
 * src/backends/cpu/wasm-lif.ts; the guards' cap is read by the guarded
 * kernels only). Every argument is an integer, so that V8 never boxes one
 * (a float64 argument of a call it cannot inline becomes a new heap number).
 * Returns the new spike count.
 */
export type LifWasmKernel = (from: number, to: number, vp: number, exp: number, inp: number, refp: number, rexp: number, rinp: number, spikesp: number, count: number, params: number) => number;

/** kernels/cpu/deliver_spikes.ts deliverSpikes over whole rows, with byte addresses (assembly/deliver_spikes.ts). Returns synapses visited. */
export type DeliverWasmKernel = (rowPtr: number, targets: number, weights: number, delays: number, spikes: number, from: number, to: number, slotOffsets: number, replicaOffset: number, ringEx: number, ringIn: number) => number;

/**
 * src/backends/workers/row-slices.ts deliverSlices over one shard's row
 * slices (`ranges` [begin, end) pairs per source), with byte addresses
 * (assembly/deliver_slices.ts); slotBase: int32 [maxDelay + 1], slot offset
 * plus replica offset. Returns synapses visited.
 */
export type DeliverSlicesWasmKernel = (slices: number, ranges: number, targets: number, weights: number, delays: number, spikes: number, from: number, to: number, slotBase: number, ringEx: number, ringIn: number) => number;

/** kernels/cpu/poisson_drive.ts poissonDrive with one part, byte addresses (assembly/poisson_drive.ts): ring[i] = f32(ring[i] + k_i * weightPa), i in [from, to), weightPa read from the population's parameter block at `params`. */
export type PoissonWasmKernel = (from: number, to: number, ring: number, lut: number, thr: number, key: number, params: number) => void;

export interface CpuWasmExports {
  deliverSpikes: DeliverWasmKernel;
  deliverSlices: DeliverSlicesWasmKernel;
  poissonDrive: PoissonWasmKernel;
  lifPlain: LifWasmKernel;
  lifGuarded: LifWasmKernel;
  /** lifGuarded without the state test, for a state proved bounded (src/backends/cpu/wasm-kernels.ts). */
  lifGuardedInputs: LifWasmKernel;
  /** The three in single precision (assembly/lif_step_f32.ts: f32x4, four neurons per vector; kernels/cpu/lif_run.ts with f32 true, bit for bit). */
  lifPlainF32: LifWasmKernel;
  lifGuardedF32: LifWasmKernel;
  lifGuardedInputsF32: LifWasmKernel;
  /** 1 when every membrane and current of [from, to) is within +-bound (float32 bits), else 0. */
  stateBounded(from: number, to: number, vp: number, exp: number, inp: number, boundBits: number): number;
  /** 1 when every input in both ring slots of [from, to) is within +-cap (capBits: the largest float32 <= cap), else 0. */
  inputsWithin(from: number, to: number, rexp: number, rinp: number, capBits: number): number;
  /** Where the last guarded run stopped: `to`, or the neuron that failed a guard test (untouched). */
  stoppedAt(): number;
}

/** Path of the committed binary, from this file's place in dist/kernels/wasm/ (or kernels/wasm/). */
export const CPU_WASM_URL = new URL(import.meta.url.includes('/dist/') ? '../../../kernels/wasm/cpu_kernels.wasm' : './cpu_kernels.wasm', import.meta.url);

let compiled: WebAssembly.Module | null | undefined;

/**
 * The compiled module, or null where it cannot run: the engine lacks wasm
 * SIMD, the binary is missing, or NEUROCHAOS_WASM=0 asks for the JavaScript
 * kernels (for comparison). Compiled once per thread.
 */
export function cpuWasmModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  if (process.env.NEUROCHAOS_WASM === '0' || typeof WebAssembly !== 'object') return compiled;
  try {
    const bytes = readFileSync(CPU_WASM_URL);
    if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
  } catch {
    compiled = null;
  }
  return compiled;
}

/** The kernels over `memory` (a memory sized once and never grown: the state's views stay valid). */
export function instantiateCpuWasm(module: WebAssembly.Module, memory: WebAssembly.Memory): CpuWasmExports {
  return new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as CpuWasmExports;
}
