import { guardedNeuron } from '../../../kernels/cpu/lif_step_guarded.js';
import type { FusedPoisson, GuardKernel } from '../../../kernels/cpu/lif_step.js';
import type { CpuWasmExports, LifWasmKernel } from '../../../kernels/wasm/cpu_wasm.js';
import type { KernelPlan, PopulationKernel } from '../kernel-plan.js';
import type { SimulationState } from '../simulation-state.js';

/** The state arrays the wasm kernels read and write, moved into a wasm memory (by both CPU engines). */
export const WASM_STATE_ARRAYS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa'] as const;
export type WasmStateArray = (typeof WASM_STATE_ARRAYS)[number];

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
  /** Per population (by PopulationKernel.index): the fused drive's LUT and thresholds byte addresses (0 without one), and p20 * dcPa as lifRun computes it. */
  protected readonly lutPtr: Int32Array;
  protected readonly thrPtr: Int32Array;
  protected readonly dcTerm: Float64Array;
  /** Populations' index slots (max PopulationKernel.index + 1). */
  protected readonly populationSlots: number;

  /**
   * @param k the module's exports over the memory
   * @param at byte address of each state array in the memory
   * @param plan the kernel plan; `tables[j]` is population plan.populations[j]'s [LUT, thresholds] byte addresses ([0, 0] without a fused drive)
   * @param spikesPtr byte address of the spike buffer the kernels write, `spikeView` its view (the slow path writes there)
   */
  protected constructor(
    protected readonly k: CpuWasmExports,
    private readonly at: Readonly<Record<WasmStateArray, number>>,
    plan: KernelPlan,
    tables: readonly (readonly [number, number])[],
    protected spikesPtr: number,
    protected spikeView: Int32Array,
  ) {
    const slots = Math.max(0, ...plan.populations.map((p) => p.index)) + 1;
    this.populationSlots = slots;
    this.lutPtr = new Int32Array(slots);
    this.thrPtr = new Int32Array(slots);
    this.dcTerm = new Float64Array(slots);
    plan.populations.forEach((p, j) => {
      this.lutPtr[p.index] = tables[j][0];
      this.thrPtr[p.index] = tables[j][1];
      this.dcTerm[p.index] = p.lif.p20 * p.lif.dcPa;
    });
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
    const lif = p.lif;
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
    // The fused drive goes into the ring slot first (its own wasm pass: see assembly/poisson_drive.ts),
    // which gives the sums the fused JavaScript kernel gives; the update then reads it from the ring.
    if (fused !== null) k.poissonDrive(from, to, rexp, this.lutPtr[j], this.thrPtr[j], fused.key | 0, fused.weightPa);
    const kernel = guard === null ? null : this.guardedKernel(p, guard, from, to, step, replica, vp, exp, inp, rexp, rinp);
    if (kernel === null) {
      return k.lifPlain(from, to, vp, exp, inp, refp, rexp, rinp, spikes, count, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps);
    }
    for (let i = from; ; ) {
      count = kernel(i, to, vp, exp, inp, refp, rexp, rinp, spikes, count, lif.restingMv, lif.thresholdMv, lif.resetMv, this.dcTerm[j], lif.p22, lif.p11ex, lif.p11in, lif.p21ex, lif.p21in, lif.refractorySteps, guard!.capPa);
      const stop = k.stoppedAt();
      if (stop >= to) return count;
      // The drive is in the ring already: the slow path must not add it again.
      count = guardedNeuron(lif, null, guard!, stop, stateOffset, ringOffset, state, this.spikeView, count);
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
