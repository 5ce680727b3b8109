import type { GuardKernel } from '../../../kernels/cpu/lif_step.js';
import { instantiateCpuWasm, type LifWasmKernel } from '../../../kernels/wasm/cpu_wasm.js';
import { connectivityBytes, type Network, type Synapses } from '../../model/network.js';
import { WASM_SYNAPSES_MAX_BYTES } from '../cpu/wasm-kernels.js';
import { lifParamsBytes, WASM_STATE_ARRAYS, WasmLifRunner, writeLifParams, type WasmStateArray } from '../cpu/wasm-lif.js';
import type { KernelPlan, PopulationKernel } from '../kernel-plan.js';
import { ringSlotsFor, type SimulationState } from '../simulation-state.js';
import { MAX_WASM_PAGES, sharedCpuModule } from './shared-wasm-module.js';
import type { Shard } from './protocol.js';
import { fillRowSlices } from './row-slices.js';

const PAGE_BYTES = 65536;
/** Cache-line alignment: with arrays on 64-byte lines, partition.ts's cuts at multiples of 16 neurons fall on line boundaries. */
const align64 = (x: number) => (x + 63) & ~63;

/** Byte addresses of the connectivity in the shared memory. */
export interface SynapsePointers {
  rowPtr: number;
  targets: number;
  weightsPa: number;
  delaySteps: number;
}

/** Where things are in the shared wasm memory: handed to every worker (workerData). */
export interface ShardWasmLayout {
  memory: WebAssembly.Memory;
  bytes: number;
  /** Byte address of each hot state array, and its length in elements. */
  ptr: Record<WasmStateArray, number>;
  lengths: Record<WasmStateArray, number>;
  /** Byte address of each shard's spike log ids. */
  logPtr: number[];
  /**
   * Byte address of each shard's parameter block (wasm-lif.ts), of `paramsBytes`: a block per shard, as a shard's
   * tasks run one at a time while the kernels write the cap and weight into the block before each call.
   */
  paramsPtr: number[];
  paramsBytes: number;
  /** Per population (plan order): byte addresses of the fused drive's LUT and thresholds (0 without one). */
  tables: [number, number][];
  /** The connectivity's byte addresses (null: larger than WASM_SYNAPSES_MAX_BYTES, delivery stays JavaScript). */
  synapses: SynapsePointers | null;
  /** Per shard, with synapses: byte addresses of its row slices (row-slices.ts) and of its slot bases (int32 [maxDelay + 1]). */
  slicesPtr: number[];
  slotBasePtr: number[];
  /** Elements of a slot bases array (maxDelay + 1), and ranges per shard (populations): the row slices' width. */
  slotBaseLength: number;
  ranges: number;
  /** Bytes of the memory that hold the connectivity and the row slices (charged apart from the state). */
  synapseBytes: number;
  slicesBytes: number;
}

/** The shared memory laid out, before the state is bound: the views the backend hands on. */
export interface SharedWasmMemory {
  layout: ShardWasmLayout;
  /** Each shard's spike log ids, `logLengths[k]` int32. */
  logs: Int32Array[];
  /** The memory's copy of the connectivity (the backend's live synapses: weight faults and the scrubber write here), or null. */
  synapses: Synapses | null;
  /** Each shard's row slices in the memory, filled (null without synapses). */
  rowSlices: Uint32Array[] | null;
}

/**
 * Lays out and allocates one shared WebAssembly.Memory, sized once and never
 * grown, for the workers backend: the shards' spike logs (`logLengths[k]`
 * int32 each), the hot state (membrane, currents, refractory counts, rings:
 * bound later by bindSharedState, once the shell has built the state), the
 * fused drives' tables and, where the connectivity is at most
 * WASM_SYNAPSES_MAX_BYTES, a copy of the synapses with every shard's row
 * slices and slot bases, so delivery runs as wasm too. Built before the
 * shell, which takes the copy as its live synapses (as the `cpu` backend
 * does, src/backends/cpu/wasm-kernels.ts). Null where the shared wasm module
 * cannot run, `batch` is not one the shell accepts (it then refuses it), or
 * the memory would not fit wasm32 or is refused: the JavaScript kernels run.
 * `maxSynapseBytes` moves the connectivity's limit (-1: no copy, delivery
 * as JavaScript; the workers backend's default, see WorkersOptions.wasmDelivery).
 */
export function createSharedWasmMemory(network: Network, batch: number, plan: KernelPlan, shards: Shard[], logLengths: number[], maxSynapseBytes = WASM_SYNAPSES_MAX_BYTES): SharedWasmMemory | null {
  if (sharedCpuModule() === null || !Number.isInteger(batch) || batch < 1) return null;
  const s = network.synapses;
  const synapseBytes = connectivityBytes(network);
  const pops = network.populations.length;
  const n = network.neuronCount;
  for (const withSynapses of synapseBytes <= maxSynapseBytes ? [true, false] : [false]) {
    let at = 0;
    const take = (bytes: number) => {
      const p = at;
      at = align64(at + bytes);
      return p;
    };
    const logPtr = logLengths.map((len) => take(4 * len));
    const paramsBytes = lifParamsBytes(plan);
    const paramsPtr = shards.map(() => take(paramsBytes));
    const slots = ringSlotsFor(network);
    const lengths: Record<WasmStateArray, number> = { membraneMv: batch * n, currentExcPa: batch * n, currentInhPa: batch * n, refractorySteps: batch * n, ringExcPa: slots * batch * n, ringInhPa: slots * batch * n };
    const ptr = {} as Record<WasmStateArray, number>;
    for (const name of WASM_STATE_ARRAYS) ptr[name] = take(4 * lengths[name]);
    const tables = plan.populations.map((p): [number, number] => (p.fusedPoisson ? [take(p.fusedScratch.table.lut.byteLength), take(p.fusedScratch.table.thresholds.byteLength)] : [0, 0]));
    const slotBasePtr = withSynapses ? shards.map(() => take(4 * (network.maxDelaySteps + 1))) : [];
    const slicesStart = at;
    const slicesPtr = withSynapses ? shards.map(() => take(4 * n * pops * 2)) : [];
    const slicesBytes = at - slicesStart;
    const synapses = withSynapses ? { rowPtr: take(s.rowPtr.byteLength), targets: take(s.targets.byteLength), weightsPa: take(s.weightsPa.byteLength), delaySteps: take(s.delaySteps.byteLength) } : null;
    const pages = Math.max(1, Math.ceil(at / PAGE_BYTES));
    if (pages > MAX_WASM_PAGES) continue;
    let memory: WebAssembly.Memory;
    try {
      memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
    } catch {
      continue; // the engine refused the reservation
    }
    const buffer = memory.buffer;
    for (const p of paramsPtr) writeLifParams(new Float64Array(buffer, p, paramsBytes / 8), plan);
    plan.populations.forEach((p, j) => {
      if (!p.fusedPoisson) return;
      new Uint8Array(buffer, tables[j][0], p.fusedScratch.table.lut.length).set(p.fusedScratch.table.lut);
      new Uint32Array(buffer, tables[j][1], p.fusedScratch.table.thresholds.length).set(p.fusedScratch.table.thresholds);
    });
    let copy: Synapses | null = null;
    let rowSlices: Uint32Array[] | null = null;
    if (synapses !== null) {
      copy = {
        rowPtr: new Uint32Array(buffer, synapses.rowPtr, s.rowPtr.length),
        targets: new Uint32Array(buffer, synapses.targets, s.targets.length),
        weightsPa: new Float32Array(buffer, synapses.weightsPa, s.weightsPa.length),
        delaySteps: new Uint8Array(buffer, synapses.delaySteps, s.delaySteps.length),
      };
      copy.rowPtr.set(s.rowPtr);
      copy.targets.set(s.targets);
      copy.weightsPa.set(s.weightsPa);
      copy.delaySteps.set(s.delaySteps);
      rowSlices = shards.map((shard, k) => {
        const slices = new Uint32Array(buffer, slicesPtr[k], n * pops * 2);
        fillRowSlices(copy!, n, shard, slices);
        return slices;
      });
    }
    const logs = logLengths.map((len, k) => new Int32Array(buffer, logPtr[k], len));
    const layout: ShardWasmLayout = { memory, bytes: pages * PAGE_BYTES, ptr, lengths, logPtr, paramsPtr, paramsBytes, tables, synapses, slicesPtr, slotBasePtr, slotBaseLength: network.maxDelaySteps + 1, ranges: pops, synapseBytes: synapses ? synapseBytes : 0, slicesBytes };
    return { layout, logs, synapses: copy, rowSlices };
  }
  return null;
}

/**
 * Moves the state's hot arrays into the memory (contents copied; the state's
 * fields then view it, so faults, checkpoints, the JavaScript kernels and
 * the shards all work on the same memory). Returns the old arrays (for the
 * caller's allocator), or null, state untouched, when its shape is not the
 * one laid out.
 */
export function bindSharedState(layout: ShardWasmLayout, state: SimulationState): (Float32Array | Int32Array)[] | null {
  for (const name of WASM_STATE_ARRAYS) if (state[name].length !== layout.lengths[name]) return null;
  const buffer = layout.memory.buffer;
  const old: (Float32Array | Int32Array)[] = [];
  for (const name of WASM_STATE_ARRAYS) {
    const from = state[name];
    const view = name === 'refractorySteps' ? new Int32Array(buffer, layout.ptr[name], from.length) : new Float32Array(buffer, layout.ptr[name], from.length);
    view.set(from);
    old.push(from);
    (state as unknown as Record<WasmStateArray, Float32Array | Int32Array>)[name] = view;
  }
  return old;
}

/**
 * A worker thread's instance of the wasm kernels over the shared memory:
 * the healthy-range LIF update (WasmLifRunner, bit for bit
 * kernels/cpu/lif_step.ts's and lifStepGuarded's), with the spikes written
 * into the log of the shard selected by useShard(), and, where the layout
 * holds the synapses, delivery over a shard's row slices (deliver).
 */
export class ShardWasmKernels extends WasmLifRunner {
  /** Whether deliver() can run: the connectivity and row slices are in the memory. */
  readonly delivers: boolean;
  private readonly slotBases: Int32Array[];
  private readonly paramViews: Float64Array[];

  constructor(
    private readonly layout: ShardWasmLayout,
    plan: KernelPlan,
    private readonly logs: Int32Array[],
  ) {
    const module = sharedCpuModule();
    if (module === null) throw new Error('the shared wasm CPU kernels module is unavailable in this worker');
    const paramViews = layout.paramsPtr.map((p) => new Float64Array(layout.memory.buffer, p, layout.paramsBytes / 8));
    super(instantiateCpuWasm(module, layout.memory), layout.ptr, plan, layout.tables, layout.logPtr[0], logs[0], { ptr: layout.paramsPtr[0], view: paramViews[0] });
    this.paramViews = paramViews;
    this.delivers = layout.synapses !== null;
    this.slotBases = layout.slotBasePtr.map((p) => new Int32Array(layout.memory.buffer, p, layout.slotBaseLength));
  }

  /**
   * Shard k's slot bases in the memory (int32 [maxDelay + 1]): the caller
   * writes the element offset of the ring slot d steps ahead plus the
   * replica's offset at d before deliver() into shard k.
   */
  slotBase(k: number): Int32Array {
    return this.slotBases[k];
  }

  /**
   * deliverSlices (row-slices.ts) as wasm (assembly/deliver_slices.ts), bit
   * for bit: the spikes of shard `source`'s log [from, to) into shard
   * `target`'s ranges, through its row slices and slot bases. Only with
   * `delivers`. Returns synapses visited.
   */
  deliver(target: number, source: number, from: number, to: number): number {
    const l = this.layout;
    const syn = l.synapses!;
    return this.k.deliverSlices(l.slicesPtr[target], l.ranges, syn.targets, syn.weightsPa, syn.delaySteps, l.logPtr[source], from, to, l.slotBasePtr[target], l.ptr.ringExcPa, l.ptr.ringInhPa);
  }

  /** The shards run the guarded update every step: lifGuarded, all tests. */
  protected guardedKernel(_p: PopulationKernel, _guard: GuardKernel): LifWasmKernel {
    return this.lif.guarded;
  }

  /** No-op: the shards prove no state bound to drop. */
  invalidateStateBounds(): void {}

  /** No-op, as invalidateStateBounds. */
  invalidateStateBound(_replica: number, _population: number): void {}

  /** Spikes of the following lifStep calls go to shard k's log, and the kernels read shard k's parameter block. */
  useShard(k: number): void {
    this.spikesPtr = this.layout.logPtr[k];
    this.spikeView = this.logs[k];
    this.setParams(this.layout.paramsPtr[k], this.paramViews[k]);
  }
}
