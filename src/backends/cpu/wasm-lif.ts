import { guardedNeuron } from '../../../kernels/cpu/lif_step_guarded.js';
import type { FusedPoisson, GuardKernel } from '../../../kernels/cpu/lif_step.js';
import { instantiateLifWasm, lifWasmModule, type LifWasmExports } from '../../../kernels/wasm/lif_wasm.js';
import type { KernelPlan, PopulationKernel } from '../kernel-plan.js';
import type { SimulationState } from '../simulation-state.js';

/** The state arrays the wasm kernels read and write, moved into the wasm memory. */
const HOT_ARRAYS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa'] as const;
type HotArray = (typeof HOT_ARRAYS)[number];

const PAGE_BYTES = 65536;
/** wasm32's limit (65,536 pages): a larger state keeps the JavaScript kernels. */
const MAX_PAGES = 65536;
const align16 = (x: number) => (x + 15) & ~15;

/**
 * The healthy-range LIF update through the wasm kernels (kernels/wasm/), for
 * a backend whose state lives in one thread (the `cpu` backend). place()
 * moves the state arrays the update touches (membrane, currents, refractory
 * counts, rings) into a WebAssembly.Memory, sized once and never grown, and
 * points the state at views of it, so everything else (faults writing the
 * state, checkpoints, the JavaScript faulted kernel, delivery) works on the
 * same memory as before. Faulted ranges keep the JavaScript kernels
 * (lifStepFaulted), which run on those views.
 *
 * Why wasm: the update costs 6-20 ns per neuron-step as JavaScript on the
 * reference machine; f64x2 SIMD with no bounds checks and no float32/float64
 * boxing runs it at about 1 ns (docs/performance.md, "CPU kernels").
 */
export class WasmLif {
  /** The spike buffer in the wasm memory: the kernels write spiking neuron indices here. */
  readonly spikes: Int32Array;
  /** Bytes of the wasm memory (charged to the backend's allocator by its owner). */
  readonly bytes: number;
  private readonly memory: WebAssembly.Memory;
  private readonly k: LifWasmExports;
  private readonly spikesPtr: number;
  /** Byte address of each hot array. */
  private readonly ptr: Record<HotArray, number>;
  /** Per population (by plan order): byte addresses of the fused drive's LUT and thresholds (0 without one). */
  private readonly lutPtr: Int32Array;
  private readonly thrPtr: Int32Array;
  /** Per population: p20 * dcPa, as lifRun computes it. */
  private readonly dcTerm: Float64Array;
  private readonly populationOrder = new Map<PopulationKernel, number>();

  private constructor(memory: WebAssembly.Memory, k: LifWasmExports, bytes: number, spikesPtr: number, spikeCapacity: number, ptr: Record<HotArray, number>, plan: KernelPlan, tablePtrs: [number, number][]) {
    this.memory = memory;
    this.k = k;
    this.bytes = bytes;
    this.spikesPtr = spikesPtr;
    this.spikes = new Int32Array(memory.buffer, spikesPtr, spikeCapacity);
    this.ptr = ptr;
    const n = plan.populations.length;
    this.lutPtr = new Int32Array(n);
    this.thrPtr = new Int32Array(n);
    this.dcTerm = new Float64Array(n);
    plan.populations.forEach((p, j) => {
      this.populationOrder.set(p, j);
      this.lutPtr[j] = tablePtrs[j][0];
      this.thrPtr[j] = tablePtrs[j][1];
      this.dcTerm[j] = p.lif.p20 * p.lif.dcPa;
    });
  }

  /**
   * Moves the state's hot arrays into a new wasm memory (their contents
   * copied) and returns the kernels over it; the state's fields now view that
   * memory. Null (state untouched) where wasm SIMD is unavailable,
   * NEUROCHAOS_WASM=0, or the state would not fit in a wasm32 memory.
   * `spikeCapacity`: neurons a step can emit (the network's neuron count).
   */
  static place(state: SimulationState, plan: KernelPlan, spikeCapacity: number): WasmLif | null {
    const module = lifWasmModule();
    if (module === null) return null;
    let at = 0;
    const spikesPtr = at;
    at = align16(at + 4 * spikeCapacity);
    const ptr = {} as Record<HotArray, number>;
    for (const name of HOT_ARRAYS) {
      ptr[name] = at;
      at = align16(at + state[name].byteLength);
    }
    const tablePtrs: [number, number][] = plan.populations.map((p) => {
      if (!p.fusedPoisson) return [0, 0];
      const lut = at;
      at = align16(at + p.fusedScratch.table.lut.byteLength);
      const thr = at;
      at = align16(at + p.fusedScratch.table.thresholds.byteLength);
      return [lut, thr];
    });
    const pages = Math.max(1, Math.ceil(at / PAGE_BYTES));
    if (pages > MAX_PAGES) return null;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
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
      new Uint8Array(buffer, tablePtrs[j][0], p.fusedScratch.table.lut.length).set(p.fusedScratch.table.lut);
      new Uint32Array(buffer, tablePtrs[j][1], p.fusedScratch.table.thresholds.length).set(p.fusedScratch.table.thresholds);
    });
    return new WasmLif(memory, instantiateLifWasm(module, memory), pages * PAGE_BYTES, spikesPtr, spikeCapacity, ptr, plan, tablePtrs);
  }

  /** Whether `state`'s hot arrays and `spikes` are still this memory's views (else the caller runs the JavaScript kernels). */
  holds(state: SimulationState, spikes: Int32Array): boolean {
    const buffer = this.memory.buffer;
    if (spikes !== this.spikes) return false;
    for (const name of HOT_ARRAYS) if (state[name].buffer !== buffer || state[name].byteOffset !== this.ptr[name]) return false;
    return true;
  }

  /**
   * LifStep (guard null) or lifStepGuarded of one healthy population range,
   * as kernels/cpu/lif_step.ts's, bit for bit: neurons [from, to) of
   * population `p`, with the fused drive `fused` (null without). `state` and
   * the spike buffer must be the ones this was placed for (holds()). Returns
   * the new spike count. A neuron that fails a guard test is updated by the
   * JavaScript slow path (guardedNeuron), and the wasm run resumes after it.
   */
  lifStep(p: PopulationKernel, fused: FusedPoisson | null, guard: GuardKernel | null, from: number, to: number, stateOffset: number, ringOffset: number, state: SimulationState, count: number): number {
    const j = this.populationOrder.get(p)!;
    const lif = p.lif;
    const s4 = 4 * stateOffset;
    const r4 = 4 * ringOffset;
    const ptr = this.ptr;
    const vp = ptr.membraneMv + s4;
    const exp = ptr.currentExcPa + s4;
    const inp = ptr.currentInhPa + s4;
    const refp = ptr.refractorySteps + s4;
    const rexp = ptr.ringExcPa + r4;
    const rinp = ptr.ringInhPa + r4;
    const key = fused === null ? 0 : fused.key | 0;
    const w = fused === null ? 0 : fused.weightPa;
    const k = this.k;
    if (guard === null) {
      const kernel = fused === null ? k.lifPlain : k.lifPoisson;
      return kernel(from, to, vp, exp, inp, refp, rexp, rinp, this.spikesPtr, count, this.lutPtr[j], this.thrPtr[j], key, w, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps, 0);
    }
    const kernel = fused === null ? k.lifGuarded : k.lifGuardedPoisson;
    for (let i = from; ; ) {
      count = kernel(i, to, vp, exp, inp, refp, rexp, rinp, this.spikesPtr, count, this.lutPtr[j], this.thrPtr[j], key, w, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps, guard.capPa);
      const stop = k.stoppedAt();
      if (stop >= to) return count;
      count = guardedNeuron(lif, fused, guard, stop, stateOffset, ringOffset, state, this.spikes, count);
      i = stop + 1;
    }
  }
}
