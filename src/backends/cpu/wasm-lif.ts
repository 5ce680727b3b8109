import { guardedNeuron } from '../../../kernels/cpu/lif_step_guarded.js';
import type { FusedPoisson, GuardKernel } from '../../../kernels/cpu/lif_step.js';
import type { CpuWasmExports, LifWasmKernel } from '../../../kernels/wasm/cpu_wasm.js';
import type { KernelPlan, PopulationKernel } from '../kernel-plan.js';
import type { SimulationState } from '../simulation-state.js';
import type { Precision } from '../precision.js';

/** The state arrays the wasm kernels read and write, moved into a wasm memory (by both CPU engines). */
export const WASM_STATE_ARRAYS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa'] as const;
export type WasmStateArray = (typeof WASM_STATE_ARRAYS)[number];

/**
 * float64 values in a population's parameter block (assembly/lif_step.ts
 * runWith reads them): el, th, reset, dcTerm (p20 * dcPa, as lifRun computes
 * it), p22, p11ex, p11in, p21ex, p21in, refractory steps (an integer held as
 * float64), then the guards' cap (pA) and the fused drive's weight (pA),
 * which lifStep writes before each call that reads them.
 */
export const LIF_PARAM_COUNT = 12;
const CAP_AT = 10;
const WEIGHT_AT = 11;

/** Population index slots of `plan`: the largest PopulationKernel.index + 1. */
function populationSlotsOf(plan: KernelPlan): number {
  return Math.max(0, ...plan.populations.map((p) => p.index)) + 1;
}

/** The DC input's term of the update, p20 * dcPa, computed as lifRun computes it in `precision` (the kernels read it from the block). */
export function dcTermOf(lif: PopulationKernel['lif'], precision: Precision): number {
  return precision === 'float32' ? Math.fround(lif.p20 * lif.dcPa) : lif.p20 * lif.dcPa;
}

/** The wasm LIF kernels of one precision: plain, guarded, guarded with the state test proved away. */
export interface WasmLifKernels {
  plain: LifWasmKernel;
  guarded: LifWasmKernel;
  guardedInputs: LifWasmKernel;
}

/** The kernels of `precision` (float32: assembly/lif_step_f32.ts, f32x4; float64: assembly/lif_step.ts, f64x2). */
export function wasmLifKernelsOf(k: CpuWasmExports, precision: Precision): WasmLifKernels {
  return precision === 'float32'
    ? { plain: k.lifPlainF32, guarded: k.lifGuardedF32, guardedInputs: k.lifGuardedInputsF32 }
    : { plain: k.lifPlain, guarded: k.lifGuarded, guardedInputs: k.lifGuardedInputs };
}

/** Bytes of a parameter block for `plan`: LIF_PARAM_COUNT float64 per population slot (PopulationKernel.index). */
export function lifParamsBytes(plan: KernelPlan): number {
  return 8 * LIF_PARAM_COUNT * populationSlotsOf(plan);
}

/** Writes every population's constant parameters (all but the cap and the weight) into the block `block` (a view of lifParamsBytes(plan) bytes); for a float32 plan every value is a float32 (the f32x4 kernels narrow them exactly). */
export function writeLifParams(block: Float64Array, plan: KernelPlan): void {
  for (const p of plan.populations) {
    const l = p.lif;
    block.set([l.restingMv, l.thresholdMv, l.resetMv, dcTermOf(l, plan.precision), l.p22, l.p11ex, l.p11in, l.p21ex, l.p21in, l.refractorySteps], p.index * LIF_PARAM_COUNT);
  }
}

/**
 * The wasm LIF update of one healthy population range, written once for the
 * `cpu` backend (WasmKernels, src/backends/cpu/wasm-kernels.ts) and the
 * worker shards (ShardWasmKernels, src/backends/workers/shard-wasm.ts): the
 * state arrays' byte addresses in the memory, the fused drive's pass into
 * the ring slot, the plain or guarded kernel, and the JavaScript slow path
 * for a neuron that fails a guard test. What differs between the engines is
 * which guarded kernel runs (the `cpu` backend proves some guard tests away:
 * `guardedKernel`) and where spikes go (`spikesPtr`/`spikeView`: the shards
 * switch between their logs).
 */
export abstract class WasmLifRunner {
  /** Per population (by PopulationKernel.index): the fused drive's LUT and thresholds byte addresses (0 without one). */
  protected readonly lutPtr: Int32Array;
  protected readonly thrPtr: Int32Array;
  /** The parameter block the kernels read (byte address) and its view; setParams() moves them (a worker thread switching shards). */
  private paramsPtr = 0;
  private params: Float64Array = new Float64Array(0);
  /** Populations' index slots (max PopulationKernel.index + 1). */
  protected readonly populationSlots: number;
  /** The kernels of the plan's precision. */
  protected readonly lif: WasmLifKernels;
  /** Single precision (the slow path rounds every operation too). */
  private readonly f32: boolean;

  /**
   * @param k the module's exports over the memory
   * @param at byte address of each state array in the memory
   * @param plan the kernel plan; `tables[j]` is population plan.populations[j]'s [LUT, thresholds] byte addresses ([0, 0] without a fused drive)
   * @param spikesPtr byte address of the spike buffer the kernels write, `spikeView` its view (the slow path writes there)
   * @param params the parameter block (byte address, and its view of lifParamsBytes(plan) bytes, filled by writeLifParams)
   */
  protected constructor(
    protected readonly k: CpuWasmExports,
    private readonly at: Readonly<Record<WasmStateArray, number>>,
    plan: KernelPlan,
    tables: readonly (readonly [number, number])[],
    protected spikesPtr: number,
    protected spikeView: Int32Array,
    params: { ptr: number; view: Float64Array },
  ) {
    const slots = populationSlotsOf(plan);
    this.populationSlots = slots;
    this.lif = wasmLifKernelsOf(k, plan.precision);
    this.f32 = plan.precision === 'float32';
    this.lutPtr = new Int32Array(slots);
    this.thrPtr = new Int32Array(slots);
    plan.populations.forEach((p, j) => {
      this.lutPtr[p.index] = tables[j][0];
      this.thrPtr[p.index] = tables[j][1];
    });
    this.setParams(params.ptr, params.view);
  }

  /** The kernels read the parameter block at byte address `ptr` (`view` its float64 view) from now on. */
  protected setParams(ptr: number, view: Float64Array): void {
    this.paramsPtr = ptr;
    this.params = view;
  }

  /**
   * LifStep (guard null) or lifStepGuarded of one healthy population range,
   * as kernels/cpu/lif_step.ts's, bit for bit: neurons [from, to) of
   * population `p`, with the fused drive `fused` (null without); spikes go
   * to the spike buffer from `count`. The state must be in the memory.
   * `step` and `replica` identify the range for guardedKernel (step -1:
   * unknown). Returns the new spike count. A neuron that fails a guard test
   * is updated by the JavaScript slow path (guardedNeuron), and the wasm run
   * resumes after it.
   */
  lifStep(p: PopulationKernel, fused: FusedPoisson | null, guard: GuardKernel | null, from: number, to: number, stateOffset: number, ringOffset: number, state: SimulationState, count: number, step = -1, replica = 0): number {
    const j = p.index;
    const s4 = 4 * stateOffset;
    const r4 = 4 * ringOffset;
    const at = this.at;
    const vp = at.membraneMv + s4;
    const exp = at.currentExcPa + s4;
    const inp = at.currentInhPa + s4;
    const refp = at.refractorySteps + s4;
    const rexp = at.ringExcPa + r4;
    const rinp = at.ringInhPa + r4;
    const k = this.k;
    const spikes = this.spikesPtr;
    const base = j * LIF_PARAM_COUNT;
    const params = this.paramsPtr + 8 * base;
    // The fused drive goes into the ring slot first (its own wasm pass: see assembly/poisson_drive.ts),
    // which gives the sums the fused JavaScript kernel gives; the update then reads it from the ring.
    if (fused !== null) {
      this.params[base + WEIGHT_AT] = fused.weightPa;
      k.poissonDrive(from, to, rexp, this.lutPtr[j], this.thrPtr[j], fused.key | 0, params);
    }
    const kernel = guard === null ? null : this.guardedKernel(p, guard, from, to, step, replica, vp, exp, inp, rexp, rinp);
    if (kernel === null) return this.lif.plain(from, to, vp, exp, inp, refp, rexp, rinp, spikes, count, params);
    this.params[base + CAP_AT] = guard!.capPa;
    for (let i = from; ; ) {
      count = kernel(i, to, vp, exp, inp, refp, rexp, rinp, spikes, count, params);
      const stop = k.stoppedAt();
      if (stop >= to) return count;
      // The drive is in the ring already: the slow path must not add it again.
      count = guardedNeuron(p.lif, null, guard!, stop, stateOffset, ringOffset, state, this.spikeView, count, this.f32);
      i = stop + 1;
    }
  }

  /**
   * The guarded kernel for this range (lifGuarded, or a cheaper one whose
   * skipped tests are proved unable to fail), or null where no guard test
   * can fail and the plain update gives the guarded one's results. Pointers
   * are the range's byte addresses, offset to the replica and ring slot.
   */
  protected abstract guardedKernel(p: PopulationKernel, guard: GuardKernel, from: number, to: number, step: number, replica: number, vp: number, exp: number, inp: number, rexp: number, rinp: number): LifWasmKernel | null;

  /** Something may have written the state outside the wasm kernels: drop whatever guardedKernel proved from it. */
  abstract invalidateStateBounds(): void;

  /** One (replica, population)'s state was written outside the wasm kernels (the faulted kernel). */
  abstract invalidateStateBound(replica: number, population: number): void;
}
