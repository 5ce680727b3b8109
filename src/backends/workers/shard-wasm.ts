import { guardedNeuron } from '../../../kernels/cpu/lif_step_guarded.js';
import type { FusedPoisson, GuardKernel } from '../../../kernels/cpu/lif_step.js';
import { instantiateCpuWasm, type CpuWasmExports } from '../../../kernels/wasm/cpu_wasm.js';
import type { KernelPlan, PopulationKernel } from '../kernel-plan.js';
import type { SimulationState } from '../simulation-state.js';
import { MAX_WASM_PAGES, sharedCpuModule } from './shared-wasm-module.js';
import type { IntegrateWasm } from '../cpu-step.js';

/** The state arrays the wasm kernels read and write, moved into the shared wasm memory. */
const HOT_ARRAYS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa'] as const;
type HotArray = (typeof HOT_ARRAYS)[number];

const PAGE_BYTES = 65536;
const align16 = (x: number) => (x + 15) & ~15;

/** Where things are in the shared wasm memory: handed to every worker (workerData). */
export interface ShardWasmLayout {
  memory: WebAssembly.Memory;
  bytes: number;
  /** Byte address of each hot state array. */
  ptr: Record<HotArray, number>;
  /** Byte address of each shard's spike log ids. */
  logPtr: number[];
  /** Per population (plan order): byte addresses of the fused drive's LUT and thresholds (0 without one). */
  lutPtr: number[];
  thrPtr: number[];
}

/**
 * Moves the state's hot arrays (membrane, currents, refractory counts, rings)
 * into one shared WebAssembly.Memory (contents copied; the state's fields
 * then view it, so faults, checkpoints, delivery and the JavaScript faulted
 * kernel work on the same memory), with the shards' spike logs
 * (`logLengths[k]` int32 each) and the fused drives' tables beside them.
 * Returns the layout and the logs' views, or null (state untouched) where
 * the shared wasm module cannot run or the state would not fit in wasm32.
 * As src/backends/cpu/wasm-kernels.ts does for the single-thread backend,
 * with a shared memory and one spike log per shard (delivery stays
 * JavaScript here: it walks the shards' row slices, row-slices.ts).
 */
export function placeSharedState(state: SimulationState, plan: KernelPlan, logLengths: number[]): { layout: ShardWasmLayout; logs: Int32Array[] } | null {
  if (sharedCpuModule() === null) return null;
  let at = 0;
  const logPtr = logLengths.map((n) => {
    const p = at;
    at = align16(at + 4 * n);
    return p;
  });
  const ptr = {} as Record<HotArray, number>;
  for (const name of HOT_ARRAYS) {
    ptr[name] = at;
    at = align16(at + state[name].byteLength);
  }
  const lutPtr: number[] = [];
  const thrPtr: number[] = [];
  for (const p of plan.populations) {
    if (!p.fusedPoisson) {
      lutPtr.push(0);
      thrPtr.push(0);
      continue;
    }
    lutPtr.push(at);
    at = align16(at + p.fusedScratch.table.lut.byteLength);
    thrPtr.push(at);
    at = align16(at + p.fusedScratch.table.thresholds.byteLength);
  }
  const pages = Math.max(1, Math.ceil(at / PAGE_BYTES));
  if (pages > MAX_WASM_PAGES) return null;
  let memory: WebAssembly.Memory;
  try {
    memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return null; // the engine refused the reservation: the JavaScript kernels run
  }
  const buffer = memory.buffer;
  for (const name of HOT_ARRAYS) {
    const old = state[name];
    const view = name === 'refractorySteps' ? new Int32Array(buffer, ptr[name], old.length) : new Float32Array(buffer, ptr[name], old.length);
    view.set(old);
    (state as unknown as Record<HotArray, Float32Array | Int32Array>)[name] = view;
  }
  plan.populations.forEach((p, j) => {
    if (!p.fusedPoisson) return;
    new Uint8Array(buffer, lutPtr[j], p.fusedScratch.table.lut.length).set(p.fusedScratch.table.lut);
    new Uint32Array(buffer, thrPtr[j], p.fusedScratch.table.thresholds.length).set(p.fusedScratch.table.thresholds);
  });
  const logs = logLengths.map((n, k) => new Int32Array(buffer, logPtr[k], n));
  return { layout: { memory, bytes: pages * PAGE_BYTES, ptr, logPtr, lutPtr, thrPtr }, logs };
}

/**
 * A worker thread's instance of the wasm LIF kernels over the shared memory:
 * the healthy-range update of one population range, bit for bit
 * kernels/cpu/lif_step.ts's (and lifStepGuarded's), with the spikes written
 * into the log of the shard selected by useShard(). The method has the shape
 * integrateStep (src/backends/cpu-step.ts) calls on its `wasm` argument.
 */
export class ShardWasmLif implements IntegrateWasm {
  private readonly k: CpuWasmExports;
  private readonly order = new Map<PopulationKernel, number>();
  private readonly dcTerm: Float64Array;
  private spikesPtr = 0;
  private spikes: Int32Array;

  constructor(
    private readonly layout: ShardWasmLayout,
    plan: KernelPlan,
    private readonly logs: Int32Array[],
  ) {
    const module = sharedCpuModule();
    if (module === null) throw new Error('the shared wasm CPU kernels module is unavailable in this worker');
    this.k = instantiateCpuWasm(module, layout.memory);
    this.dcTerm = new Float64Array(plan.populations.length);
    plan.populations.forEach((p, j) => {
      this.order.set(p, j);
      this.dcTerm[j] = p.lif.p20 * p.lif.dcPa;
    });
    this.spikes = logs[0];
  }

  /** No-op: the shards run the guarded update every step (no proved state bound to drop). */
  invalidateStateBounds(): void {}

  /** No-op, as invalidateStateBounds. */
  invalidateStateBound(_replica: number, _population: number): void {}

  /** Spikes of the following lifStep calls go to shard k's log. */
  useShard(k: number): void {
    this.spikesPtr = this.layout.logPtr[k];
    this.spikes = this.logs[k];
  }

  /** As WasmKernels.lifStep (src/backends/cpu/wasm-kernels.ts): returns the new spike count. */
  lifStep(p: PopulationKernel, fused: FusedPoisson | null, guard: GuardKernel | null, from: number, to: number, stateOffset: number, ringOffset: number, state: SimulationState, count: number): number {
    const j = this.order.get(p)!;
    const lif = p.lif;
    const s4 = 4 * stateOffset;
    const r4 = 4 * ringOffset;
    const ptr = this.layout.ptr;
    const vp = ptr.membraneMv + s4;
    const exp = ptr.currentExcPa + s4;
    const inp = ptr.currentInhPa + s4;
    const refp = ptr.refractorySteps + s4;
    const rexp = ptr.ringExcPa + r4;
    const rinp = ptr.ringInhPa + r4;
    const k = this.k;
    // The fused drive goes into the ring slot first (its own wasm pass), as the single-thread wasm kernels do.
    if (fused !== null) k.poissonDrive(from, to, rexp, this.layout.lutPtr[j], this.layout.thrPtr[j], fused.key | 0, fused.weightPa);
    if (guard === null) {
      return k.lifPlain(from, to, vp, exp, inp, refp, rexp, rinp, this.spikesPtr, count, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps);
    }
    for (let i = from; ; ) {
      count = k.lifGuarded(i, to, vp, exp, inp, refp, rexp, rinp, this.spikesPtr, count, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps, guard.capPa);
      const stop = k.stoppedAt();
      if (stop >= to) return count;
      // The drive is in the ring already: the slow path must not add it again.
      count = guardedNeuron(lif, null, guard, stop, stateOffset, ringOffset, state, this.spikes, count);
      i = stop + 1;
    }
  }
}
