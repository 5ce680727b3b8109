import type { GuardKernel } from '../../../kernels/cpu/lif_step.js';
import { cpuWasmModule, instantiateCpuWasm, type LifWasmKernel } from '../../../kernels/wasm/cpu_wasm.js';
import type { Network, Synapses } from '../../model/network.js';
import type { KernelPlan, PopulationKernel } from '../kernel-plan.js';
import type { Precision } from '../precision.js';
import { ringSlotsFor, type SimulationState } from '../simulation-state.js';
import { wasmMemoryPool, type PooledMemory } from './wasm-memory-pool.js';
import { dcTermOf, lifParamsBytes, WASM_STATE_ARRAYS, WasmLifRunner, writeLifParams, type WasmStateArray as HotArray } from './wasm-lif.js';

export { WASM_STATE_ARRAYS };

/**
 * Connectivity up to this size is copied into the wasm memory, so that
 * delivery runs as wasm too (2-3x faster per synaptic event than the
 * JavaScript kernel on CUBA); larger networks keep one copy of their
 * synapses and deliver in JavaScript (the copy would double the
 * connectivity's memory). 512 MiB is about 57 M synapses (the scale-0.1 microcircuit has 30 M).
 */
export const WASM_SYNAPSES_MAX_BYTES = 512 * 2 ** 20;

/**
 * The state bound the guarded kernel's state test is skipped under: every
 * membrane and current within +-1e30 (a float32), checked by a wasm pass,
 * keeps |integrated| <= FLOAT32_MAX for as many steps as elisionSteps()
 * proves from the population's propagators and the guards' cap.
 */
const STATE_BOUND = Math.fround(1e30);
const STATE_BOUND_BITS = new Int32Array(Float32Array.of(STATE_BOUND).buffer)[0];
const ELISION_MAX_STEPS = 1000;
const FLOAT32_MAX = 3.4028234663852886e38;

/** The largest float32 <= cap (cap > 0), as bits: |a| <= cap for a float32 a compares as integers. */
function capBits(cap: number): number {
  const f = Float32Array.of(cap);
  const bits = new Int32Array(f.buffer)[0];
  return f[0] > cap ? bits - 1 : bits;
}

const PAGE_BYTES = 65536;
/** wasm32's limit (65,536 pages of 64 KiB). */
const MAX_PAGES = 65536;
const align16 = (x: number) => (x + 15) & ~15;

interface Layout {
  bytes: number;
  spikes: number;
  slotOffsets: number;
  /** The populations' parameter block (wasm-lif.ts), 8-byte aligned. */
  params: number;
  state: Record<HotArray, number>;
  stateLengths: Record<HotArray, number>;
  /** Per population (plan order): LUT and thresholds of the fused drive (0 without one). */
  tables: [number, number][];
  synapses: { rowPtr: number; targets: number; weightsPa: number; delaySteps: number } | null;
}

function layoutFor(network: Network, batch: number, plan: KernelPlan, withSynapses: boolean): Layout {
  const n = network.neuronCount;
  let at = 0;
  const take = (bytes: number) => {
    const p = at;
    at = align16(at + bytes);
    return p;
  };
  const spikes = take(4 * n);
  const slotOffsets = take(4 * (network.maxDelaySteps + 1));
  const params = take(lifParamsBytes(plan));
  const slots = ringSlotsFor(network);
  const stateLengths = { membraneMv: batch * n, currentExcPa: batch * n, currentInhPa: batch * n, refractorySteps: batch * n, ringExcPa: slots * batch * n, ringInhPa: slots * batch * n };
  const state = {} as Record<HotArray, number>;
  for (const name of WASM_STATE_ARRAYS) state[name] = take(4 * stateLengths[name]);
  const tables = plan.populations.map((p): [number, number] => (p.fusedPoisson ? [take(p.fusedScratch.table.lut.byteLength), take(p.fusedScratch.table.thresholds.byteLength)] : [0, 0]));
  const s = network.synapses;
  const synapses = withSynapses ? { rowPtr: take(s.rowPtr.byteLength), targets: take(s.targets.byteLength), weightsPa: take(s.weightsPa.byteLength), delaySteps: take(s.delaySteps.byteLength) } : null;
  return { bytes: at, spikes, slotOffsets, params, state, stateLengths, tables, synapses };
}

/**
 * The `cpu` backend's kernels as WebAssembly (kernels/wasm/): the healthy
 * LIF update (plain and guarded; a fused Poisson drive runs as a pass of its
 * own into the ring slot first) and, for networks up to
 * WASM_SYNAPSES_MAX_BYTES of connectivity, delivery. Wasm can
 * only address its own memory, so create() lays out one WebAssembly.Memory,
 * sized once and never grown (views of it stay valid), for the spike buffer,
 * the state arrays the update touches (membrane, currents, refractory
 * counts, rings), the fused drives' tables and a copy of the synapses; the
 * backend hands the copy to the shell as its live synapses (faults and the
 * scrubber act on it), and bindState() moves the state into the memory and
 * points the state at views of it. Everything else (faults writing the
 * state, checkpoints, the JavaScript faulted kernel, partitions) works on
 * those views as before.
 *
 * Why: the update costs 7-9 ns per neuron-step as JavaScript on the
 * project's 2-core machine; f64x2 SIMD, without bounds checks or boxing, runs
 * it at about 1.4 (docs/performance.md, "CPU kernels"), and f32x4 in single
 * precision (plan.precision 'float32') faster still ("Single precision").
 */
export class WasmKernels extends WasmLifRunner {
  /** The spike buffer in the wasm memory: the LIF kernels write spiking neuron indices here. */
  readonly spikes: Int32Array;
  /** The synapses in the wasm memory (null: too large, delivery stays JavaScript). */
  readonly synapses: Synapses | null;
  /** Bytes of the memory that hold the state (the part the backend's allocator is charged for). */
  readonly stateBytes: number;
  private readonly memory: WebAssembly.Memory;
  /** The memory and its instance, given back to the pool by release(). */
  private readonly pooled: PooledMemory;
  private released = false;
  private readonly layout: Layout;
  private readonly slotOffsets: Int32Array;
  private readonly neuronCount: number;
  private readonly ringSlots: number;
  private readonly stride: number;
  private readonly maxDelay: number;
  /** Per (replica, population): the last step up to which the state is proved bounded (-1: not proved). */
  private readonly boundUntil: Float64Array;
  /** Per population: steps a verified bound lasts under the cap `elisionCap` (-1: not computed). */
  private readonly elision: Int32Array;
  private elisionCap = Number.NaN;
  /** capBits(elisionCap), computed when the cap is (not in the step loop). */
  private elisionCapBits = 0;
  private readonly precision: Precision;

  private constructor(network: Network, batch: number, plan: KernelPlan, layout: Layout, pooled: PooledMemory) {
    const { memory, exports: k } = pooled;
    const spikes = new Int32Array(memory.buffer, layout.spikes, network.neuronCount);
    const params = new Float64Array(memory.buffer, layout.params, lifParamsBytes(plan) / 8);
    writeLifParams(params, plan);
    super(k, layout.state, plan, layout.tables, layout.spikes, spikes, { ptr: layout.params, view: params });
    this.memory = memory;
    this.pooled = pooled;
    this.layout = layout;
    this.precision = plan.precision;
    const buffer = memory.buffer;
    this.neuronCount = network.neuronCount;
    this.ringSlots = ringSlotsFor(network);
    this.stride = batch * network.neuronCount;
    this.maxDelay = network.maxDelaySteps;
    this.spikes = spikes;
    this.slotOffsets = new Int32Array(buffer, layout.slotOffsets, network.maxDelaySteps + 1);
    this.stateBytes = WASM_STATE_ARRAYS.reduce((sum, name) => sum + 4 * layout.stateLengths[name], 0);
    this.boundUntil = new Float64Array(batch * this.populationSlots).fill(-1);
    this.elision = new Int32Array(this.populationSlots).fill(-1);
    plan.populations.forEach((p, j) => {
      const [lut, thr] = layout.tables[j];
      if (p.fusedPoisson) {
        new Uint8Array(buffer, lut, p.fusedScratch.table.lut.length).set(p.fusedScratch.table.lut);
        new Uint32Array(buffer, thr, p.fusedScratch.table.thresholds.length).set(p.fusedScratch.table.thresholds);
      }
    });
    const at = layout.synapses;
    if (at === null) {
      this.synapses = null;
    } else {
      const s = network.synapses;
      this.synapses = {
        rowPtr: new Uint32Array(buffer, at.rowPtr, s.rowPtr.length),
        targets: new Uint32Array(buffer, at.targets, s.targets.length),
        weightsPa: new Float32Array(buffer, at.weightsPa, s.weightsPa.length),
        delaySteps: new Uint8Array(buffer, at.delaySteps, s.delaySteps.length),
      };
      this.synapses.rowPtr.set(s.rowPtr);
      this.synapses.targets.set(s.targets);
      this.synapses.weightsPa.set(s.weightsPa);
      this.synapses.delaySteps.set(s.delaySteps);
    }
  }

  /**
   * Lays out and allocates the memory for `network` with `batch` replicas
   * (state still to be bound), copying the synapses in when they are small
   * enough. Null where wasm SIMD is unavailable, NEUROCHAOS_WASM=0, the batch
   * is invalid (the shell then refuses it), or the memory cannot be had
   * (beyond wasm32's 4 GiB, or refused by the engine): the JavaScript
   * kernels run.
   */
  static create(network: Network, batch: number, plan: KernelPlan): WasmKernels | null {
    const module = cpuWasmModule();
    if (module === null || !Number.isInteger(batch) || batch < 1) return null;
    const s = network.synapses;
    const synapseBytes = s.rowPtr.byteLength + s.targets.byteLength + s.weightsPa.byteLength + s.delaySteps.byteLength;
    for (const withSynapses of synapseBytes <= WASM_SYNAPSES_MAX_BYTES ? [true, false] : [false]) {
      const layout = layoutFor(network, batch, plan, withSynapses);
      const pages = Math.max(1, Math.ceil(layout.bytes / PAGE_BYTES));
      if (pages > MAX_PAGES) continue;
      let pooled = wasmMemoryPool.take(pages);
      if (pooled === null) {
        try {
          const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
          pooled = { memory, exports: instantiateCpuWasm(module, memory), pages };
        } catch {
          continue;
        }
      }
      return new WasmKernels(network, batch, plan, layout, pooled);
    }
    return null;
  }

  /**
   * Copies the state's hot arrays into the memory and points the state at
   * views of them (their old arrays are returned, for the caller's
   * allocator). Null, state untouched, when its shape is not the one laid out.
   */
  bindState(state: SimulationState): (Float32Array | Int32Array)[] | null {
    for (const name of WASM_STATE_ARRAYS) if (state[name].length !== this.layout.stateLengths[name]) return null;
    const buffer = this.memory.buffer;
    const old: (Float32Array | Int32Array)[] = [];
    for (const name of WASM_STATE_ARRAYS) {
      const from = state[name];
      const view = name === 'refractorySteps' ? new Int32Array(buffer, this.layout.state[name], from.length) : new Float32Array(buffer, this.layout.state[name], from.length);
      view.set(from);
      old.push(from);
      (state as unknown as Record<HotArray, Float32Array | Int32Array>)[name] = view;
    }
    return old;
  }

  /**
   * Gives the memory back to the process's pool (wasm-memory-pool.ts) once
   * the backend is done with it: every view of it (the state's hot arrays,
   * the synapses, the spike buffer) is detached then, and reads as empty.
   * Idempotent.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    wasmMemoryPool.give(this.pooled);
  }

  /** Whether `state`'s hot arrays and `spikes` are this memory's views (else the caller runs the JavaScript kernels). */
  holdsState(state: SimulationState, spikes: Int32Array): boolean {
    if (spikes !== this.spikes) return false;
    const buffer = this.memory.buffer;
    for (const name of WASM_STATE_ARRAYS) if (state[name].buffer !== buffer || state[name].byteOffset !== this.layout.state[name]) return false;
    return true;
  }

  /** Whether delivery can run here for `synapses` (they are this memory's copy). */
  holdsSynapses(synapses: Synapses): boolean {
    const s = this.synapses;
    return s !== null && synapses.rowPtr === s.rowPtr && synapses.targets === s.targets && synapses.weightsPa === s.weightsPa && synapses.delaySteps === s.delaySteps;
  }

  /**
   * The state test of the guards (|integrated| <= FLOAT32_MAX) can be skipped while the state is proved
   * bounded: a wasm pass checks the bound, which then holds for elisionSteps() steps unless something
   * else writes the state (invalidateStateBounds: buffer(), restore, storms, the faulted kernel). Under
   * the bound, inputs within the cap too (one vector pass over the two ring slots) mean no test can
   * fail: the plain update (null) gives the guarded one's results.
   */
  protected guardedKernel(p: PopulationKernel, guard: GuardKernel, from: number, to: number, step: number, replica: number, vp: number, exp: number, inp: number, rexp: number, rinp: number): LifWasmKernel | null {
    const k = this.k;
    if (step < 0 || from !== p.start || to !== p.end) return this.lif.guarded;
    if (guard.capPa !== this.elisionCap) this.invalidateStateBounds(); // bounds were proved under another cap
    const slot = replica * this.populationSlots + p.index;
    if (step > this.boundUntil[slot]) {
      const steps = this.elisionSteps(p, guard.capPa);
      if (steps > 0 && k.stateBounded(from, to, vp, exp, inp, STATE_BOUND_BITS) === 1) this.boundUntil[slot] = step + steps - 1;
    }
    if (step > this.boundUntil[slot]) return this.lif.guarded;
    return k.inputsWithin(from, to, rexp, rinp, this.elisionCapBits) === 1 ? null : this.lif.guardedInputs;
  }

  /** Something may have written the state (buffer(), restore, a storm): the guards' state test runs until a bound is proved again. */
  invalidateStateBounds(): void {
    this.boundUntil.fill(-1);
  }

  /** One (replica, population)'s state was written outside the wasm kernels (the faulted kernel). */
  invalidateStateBound(replica: number, population: number): void {
    this.boundUntil[replica * this.populationSlots + population] = -1;
  }

  /**
   * How many steps a state within +-STATE_BOUND keeps every integrated
   * membrane of population `p` within FLOAT32_MAX, with inputs within +-cap
   * (the guards clamp the rest): the bound B on |membrane| and |currents|
   * grows at most to max(B, g(B), B p11 + cap, |reset|) per step, where
   * g(B) = |E_L| + (B + |E_L|) |p22| + |dcTerm| + B (|p21ex| + |p21in|) bounds
   * |integrated|, with a relative margin for rounding. 0 where even the
   * first step is not proved (odd propagators): the state test always runs.
   */
  private elisionSteps(p: PopulationKernel, cap: number): number {
    if (cap !== this.elisionCap) {
      this.elision.fill(-1);
      this.elisionCap = cap;
      this.elisionCapBits = capBits(cap);
    }
    const j = p.index;
    if (this.elision[j] >= 0) return this.elision[j];
    const { restingMv: el, resetMv, p22, p11ex, p11in, p21ex, p21in } = p.lif;
    const dc = Math.abs(dcTermOf(p.lif, this.precision));
    const margin = 1 + 1e-6;
    let b = STATE_BOUND;
    let steps = 0;
    while (steps < ELISION_MAX_STEPS) {
      const g = (Math.abs(el) + (b + Math.abs(el)) * Math.abs(p22) + dc + b * (Math.abs(p21ex) + Math.abs(p21in))) * margin;
      if (!(g <= FLOAT32_MAX / 2)) break;
      steps++;
      b = Math.max(b, g, (b * Math.abs(p11ex) + cap) * margin, (b * Math.abs(p11in) + cap) * margin, Math.abs(resetMv));
    }
    this.elision[j] = steps;
    return steps;
  }

  /**
   * deliverSpikes (kernels/cpu/deliver_spikes.ts) of this.spikes[0, count),
   * emitted by `replica` at `step`, over whole rows of this memory's
   * synapses (holdsSynapses), bit for bit. Returns synapses visited.
   */
  deliver(step: number, replica: number, count: number): number {
    const so = this.slotOffsets;
    for (let d = 0; d <= this.maxDelay; d++) so[d] = ((step + d) % this.ringSlots) * this.stride;
    const syn = this.layout.synapses!;
    const at = this.layout.state;
    return this.k.deliverSpikes(syn.rowPtr, syn.targets, syn.weightsPa, syn.delaySteps, this.layout.spikes, 0, count, this.layout.slotOffsets, replica * this.neuronCount, at.ringExcPa, at.ringInhPa);
  }
}
