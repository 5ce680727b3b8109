import { guardedNeuron } from '../../../kernels/cpu/lif_step_guarded.js';
import type { FusedPoisson, GuardKernel } from '../../../kernels/cpu/lif_step.js';
import { cpuWasmModule, instantiateCpuWasm, type CpuWasmExports } from '../../../kernels/wasm/cpu_wasm.js';
import type { Network, Synapses } from '../../model/network.js';
import type { KernelPlan, PopulationKernel } from '../kernel-plan.js';
import { ringSlotsFor, type SimulationState } from '../simulation-state.js';

/** The state arrays the wasm kernels read and write, moved into the wasm memory. */
export const WASM_STATE_ARRAYS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa'] as const;
type HotArray = (typeof WASM_STATE_ARRAYS)[number];

/**
 * Connectivity up to this size is copied into the wasm memory, so that
 * delivery runs as wasm too (2-3x faster per synaptic event than the
 * JavaScript kernel on CUBA); larger networks keep one copy of their
 * synapses and deliver in JavaScript (the copy would double the
 * connectivity's memory). 512 MiB is about 57 M synapses (the scale-0.1 microcircuit has 30 M).
 */
export const WASM_SYNAPSES_MAX_BYTES = 512 * 2 ** 20;

const PAGE_BYTES = 65536;
/** wasm32's limit (65,536 pages of 64 KiB). */
const MAX_PAGES = 65536;
const align16 = (x: number) => (x + 15) & ~15;

interface Layout {
  bytes: number;
  spikes: number;
  slotOffsets: number;
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
  const slots = ringSlotsFor(network);
  const stateLengths = { membraneMv: batch * n, currentExcPa: batch * n, currentInhPa: batch * n, refractorySteps: batch * n, ringExcPa: slots * batch * n, ringInhPa: slots * batch * n };
  const state = {} as Record<HotArray, number>;
  for (const name of WASM_STATE_ARRAYS) state[name] = take(4 * stateLengths[name]);
  const tables = plan.populations.map((p): [number, number] => (p.fusedPoisson ? [take(p.fusedScratch.table.lut.byteLength), take(p.fusedScratch.table.thresholds.byteLength)] : [0, 0]));
  const s = network.synapses;
  const synapses = withSynapses ? { rowPtr: take(s.rowPtr.byteLength), targets: take(s.targets.byteLength), weightsPa: take(s.weightsPa.byteLength), delaySteps: take(s.delaySteps.byteLength) } : null;
  return { bytes: at, spikes, slotOffsets, state, stateLengths, tables, synapses };
}

/**
 * The `cpu` backend's kernels as WebAssembly (kernels/wasm/): the healthy
 * LIF update (plain, guarded, with the fused Poisson drive) and, for
 * networks up to WASM_SYNAPSES_MAX_BYTES of connectivity, delivery. Wasm can
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
 * it at about 2 (docs/performance.md, "CPU kernels").
 */
export class WasmKernels {
  /** The spike buffer in the wasm memory: the LIF kernels write spiking neuron indices here. */
  readonly spikes: Int32Array;
  /** The synapses in the wasm memory (null: too large, delivery stays JavaScript). */
  readonly synapses: Synapses | null;
  /** Bytes of the memory that hold the state (the part the backend's allocator is charged for). */
  readonly stateBytes: number;
  private readonly memory: WebAssembly.Memory;
  private readonly k: CpuWasmExports;
  private readonly layout: Layout;
  private readonly slotOffsets: Int32Array;
  private readonly neuronCount: number;
  private readonly ringSlots: number;
  private readonly stride: number;
  private readonly maxDelay: number;
  /** Per population (by PopulationKernel.index): the fused drive's LUT and thresholds addresses, and p20 * dcPa as lifRun computes it. */
  private readonly lutPtr: Int32Array;
  private readonly thrPtr: Int32Array;
  private readonly dcTerm: Float64Array;

  private constructor(network: Network, batch: number, plan: KernelPlan, layout: Layout, memory: WebAssembly.Memory, k: CpuWasmExports) {
    this.memory = memory;
    this.k = k;
    this.layout = layout;
    const buffer = memory.buffer;
    this.neuronCount = network.neuronCount;
    this.ringSlots = ringSlotsFor(network);
    this.stride = batch * network.neuronCount;
    this.maxDelay = network.maxDelaySteps;
    this.spikes = new Int32Array(buffer, layout.spikes, network.neuronCount);
    this.slotOffsets = new Int32Array(buffer, layout.slotOffsets, network.maxDelaySteps + 1);
    this.stateBytes = WASM_STATE_ARRAYS.reduce((sum, name) => sum + 4 * layout.stateLengths[name], 0);
    const slots = Math.max(0, ...plan.populations.map((p) => p.index)) + 1;
    this.lutPtr = new Int32Array(slots);
    this.thrPtr = new Int32Array(slots);
    this.dcTerm = new Float64Array(slots);
    plan.populations.forEach((p, j) => {
      const [lut, thr] = layout.tables[j];
      if (p.fusedPoisson) {
        new Uint8Array(buffer, lut, p.fusedScratch.table.lut.length).set(p.fusedScratch.table.lut);
        new Uint32Array(buffer, thr, p.fusedScratch.table.thresholds.length).set(p.fusedScratch.table.thresholds);
      }
      this.lutPtr[p.index] = lut;
      this.thrPtr[p.index] = thr;
      this.dcTerm[p.index] = p.lif.p20 * p.lif.dcPa;
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
      let memory: WebAssembly.Memory;
      try {
        memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
      } catch {
        continue;
      }
      return new WasmKernels(network, batch, plan, layout, memory, instantiateCpuWasm(module, memory));
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
   * LifStep (guard null) or lifStepGuarded of one healthy population range,
   * as kernels/cpu/lif_step.ts's, bit for bit: neurons [from, to) of
   * population `p`, with the fused drive `fused` (null without); spikes go
   * to this.spikes from `count`. The state must be bound (holdsState).
   * Returns the new spike count. A neuron that fails a guard test is updated
   * by the JavaScript slow path (guardedNeuron), and the wasm run resumes
   * after it.
   */
  lifStep(p: PopulationKernel, fused: FusedPoisson | null, guard: GuardKernel | null, from: number, to: number, stateOffset: number, ringOffset: number, state: SimulationState, count: number): number {
    const j = p.index;
    const lif = p.lif;
    const s4 = 4 * stateOffset;
    const r4 = 4 * ringOffset;
    const at = this.layout.state;
    const vp = at.membraneMv + s4;
    const exp = at.currentExcPa + s4;
    const inp = at.currentInhPa + s4;
    const refp = at.refractorySteps + s4;
    const rexp = at.ringExcPa + r4;
    const rinp = at.ringInhPa + r4;
    const k = this.k;
    const spikes = this.layout.spikes;
    // The fused drive goes into the ring slot first (its own wasm pass: see assembly/poisson_drive.ts),
    // which gives the sums the fused JavaScript kernel gives; the update then reads it from the ring.
    if (fused !== null) k.poissonDrive(from, to, rexp, this.lutPtr[j], this.thrPtr[j], fused.key | 0, fused.weightPa);
    if (guard === null) {
      return k.lifPlain(from, to, vp, exp, inp, refp, rexp, rinp, spikes, count, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps);
    }
    for (let i = from; ; ) {
      count = k.lifGuarded(i, to, vp, exp, inp, refp, rexp, rinp, spikes, count, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps, guard.capPa);
      const stop = k.stoppedAt();
      if (stop >= to) return count;
      // The drive is in the ring already: the slow path must not add it again.
      count = guardedNeuron(lif, null, guard, stop, stateOffset, ringOffset, state, this.spikes, count);
      i = stop + 1;
    }
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
