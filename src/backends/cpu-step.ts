import { stepKey } from '../../kernels/cpu/counter_rng.js';
import { deliverSpikes } from '../../kernels/cpu/deliver_spikes.js';
import { deliverPartitioned, partitionCuts } from '../../kernels/cpu/deliver_partitioned.js';
import { lifStep, lifStepF32, type FusedPoisson, type GuardKernel } from '../../kernels/cpu/lif_step.js';
import { lifStepFaulted, lifStepFaultedF32 } from '../../kernels/cpu/lif_step_faulted.js';
import { injectStorm } from '../../kernels/cpu/inject_storm.js';
import { containNonFinite, sanitizeInputs } from '../../kernels/cpu/guard_scan.js';
import { lifStepGuarded, lifStepGuardedF32 } from '../../kernels/cpu/lif_step_guarded.js';
import type { StepEffects } from './backend.js';
import { poissonDrive } from '../../kernels/cpu/poisson_drive.js';
import type { Synapses } from '../model/network.js';
import type { KernelPlan } from './kernel-plan.js';
import type { SimulationState } from './simulation-state.js';
import type { WasmKernels } from './cpu/wasm-kernels.js';
import type { WasmLifRunner } from './cpu/wasm-lif.js';

/**
 * What integrateStep calls on its wasm kernels: the healthy-range update, and
 * the notices that state was written outside them (so a proved state bound
 * is dropped). The single-thread WasmKernels and the shards' ShardWasmKernels
 * both extend WasmLifRunner (src/backends/cpu/wasm-lif.ts), which writes the call once.
 */
export type IntegrateWasm = Pick<WasmLifRunner, 'lifStep' | 'invalidateStateBounds' | 'invalidateStateBound'>;

/**
 * One step of neurons [from, to) of one replica: Poisson drive into this
 * step's ring slot, then LifStep for each population. Shared by the
 * single-threaded reference and every CPU shard, so they cannot drift apart.
 * Writes spiking neurons (ascending) into `spikes` from `outStart`; returns how many.
 * With `wasm` (the state bound to its memory, `spikes` its spike buffer:
 * WasmKernels.holdsState), healthy ranges run the wasm kernels, bit for bit
 * the same. The kernels are those of plan.precision (float32: the *F32
 * kernels, the wasm runner's f32x4 ones).
 */
export function integrateStep(
  plan: KernelPlan,
  state: SimulationState,
  effects: StepEffects,
  shard: number,
  seed: number,
  step: number,
  replica: number,
  from: number,
  to: number,
  spikes: Int32Array,
  outStart = 0,
  guard: GuardKernel | null = null,
  wasm: IntegrateWasm | null = null,
): number {
  const n = state.neuronCount;
  const slot = step % state.ringSlots;
  const ringOffset = (slot * state.batch + replica) * n;
  const stateOffset = replica * n;
  // The drive is keyed by the replica's noise stream, not its index: replicas may share one.
  const noiseStream = state.noiseStreams[replica];
  for (const d of plan.poisson) {
    const lo = Math.max(from, d.start);
    const hi = Math.min(to, d.end);
    if (lo >= hi) continue;
    const key = stepKey(seed, noiseStream, step, d.stream);
    poissonDrive(d.table, d.parts, d.weightPa, key, lo, hi, ringOffset, d.weightPa >= 0 ? state.ringExcPa : state.ringInhPa);
  }
  // A storm may write membranes (unitMv): bounds proved for the guards no longer hold.
  if (wasm !== null && effects.storms.length > 0) wasm.invalidateStateBounds();
  for (const storm of effects.storms) {
    injectStorm(storm, seed, step, replica, from, to, stateOffset, ringOffset, state.membraneMv, state.refractorySteps, state.ringExcPa, state.ringInhPa, shard);
  }
  let count = outStart;
  const f32 = plan.precision === 'float32';
  for (const p of plan.populations) {
    const lo = Math.max(from, p.start);
    const hi = Math.min(to, p.end);
    if (lo >= hi) continue;
    const fp = p.fusedPoisson;
    let fused: FusedPoisson | null = null;
    if (fp) {
      fused = p.fusedScratch;
      fused.key = stepKey(seed, noiseStream, step, fp.stream);
    }
    const healthy = state.faultedPopulations[replica * plan.populations.length + p.index] === 0;
    if (healthy && wasm !== null) {
      count = wasm.lifStep(p, fused, guard, lo, hi, stateOffset, ringOffset, state, count, step, replica);
    } else if (healthy && guard !== null) {
      count = (f32 ? lifStepGuardedF32 : lifStepGuarded)(p.lif, fused, guard, lo, hi, stateOffset, ringOffset, state, spikes, count);
    } else if (healthy) {
      count = (f32 ? lifStepF32 : lifStep)(p.lif, fused, lo, hi, stateOffset, ringOffset, state, spikes, count);
    } else {
      // Faulted ranges are rare: the guards run there as passes around the faulted kernel.
      wasm?.invalidateStateBound(replica, p.index);
      if (guard !== null) {
        // The cap is on the whole input of the step, fused drive included (as in
        // lifStepGuarded): the drive goes into the ring slot first, which gives the
        // same sums as running it fused.
        if (fused !== null) {
          poissonDrive(fused.table, 1, fused.weightPa, fused.key, lo, hi, ringOffset, state.ringExcPa);
          fused = null;
        }
        guard.counters[2 * guard.slot + 1] += sanitizeInputs(state.ringExcPa, state.ringInhPa, ringOffset, lo, hi, guard.capPa);
      }
      count = (f32 ? lifStepFaultedF32 : lifStepFaulted)(p.lif, fused, lo, hi, stateOffset, ringOffset, state, spikes, count);
      if (guard !== null) guard.counters[2 * guard.slot] += containNonFinite(state.membraneMv, state.currentExcPa, state.currentInhPa, state.refractorySteps, stateOffset, lo, hi, p.lif.resetMv, guard.quarantineSteps);
    }
  }
  return count - outStart;
}

/** Fills `slotOffset[d]` with the ring offset of the slot d steps after `step`. */
export function computeSlotOffsets(state: SimulationState, step: number, maxDelay: number, slotOffset: Int32Array | Float64Array): void {
  const stride = state.batch * state.neuronCount;
  for (let d = 0; d <= maxDelay; d++) slotOffset[d] = ((step + d) % state.ringSlots) * stride;
}

/**
 * Delivers the spikes one replica emitted at `step` (through the partitioned
 * kernel for spikes a partition cuts). Returns synaptic events. With `wasm`
 * (`syn` its synapses and `spikes` its spike buffer: WasmKernels.holdsSynapses
 * and holdsState), steps without partitions deliver as wasm, bit for bit the same.
 */
export function deliverStep(
  syn: Synapses,
  state: SimulationState,
  effects: StepEffects,
  step: number,
  replica: number,
  spikes: Int32Array,
  count: number,
  slotOffset: Int32Array | Float64Array,
  maxDelay: number,
  wasm: WasmKernels | null = null,
): number {
  if (wasm !== null && effects.partitions.length === 0) return wasm.deliver(step, replica, count);
  computeSlotOffsets(state, step, maxDelay, slotOffset);
  const replicaOffset = replica * state.neuronCount;
  if (effects.partitions.length === 0) {
    return deliverSpikes(syn.rowPtr, syn.rowPtr, 1, syn.targets, syn.weightsPa, syn.delaySteps, spikes, 0, count, slotOffset, replicaOffset, state.ringExcPa, state.ringInhPa);
  }
  const all = wholeRange(state.neuronCount);
  let events = 0;
  for (let j = 0; j < count; j++) {
    const src = spikes[j];
    if (partitionCuts(effects.partitions, src, step)) {
      events += deliverPartitioned(effects.partitions, 0, step, src, syn.rowPtr, syn.targets, syn.weightsPa, syn.delaySteps, all, state.ringSlots, state.batch * state.neuronCount, replicaOffset, state.ringExcPa, state.ringInhPa);
    } else {
      events += deliverSpikes(syn.rowPtr, syn.rowPtr, 1, syn.targets, syn.weightsPa, syn.delaySteps, spikes, j, j + 1, slotOffset, replicaOffset, state.ringExcPa, state.ringInhPa);
    }
  }
  return events;
}

const wholeRanges = new Map<number, Int32Array>();
/** [0, n) as a flat range list, made once per size (delivery runs every step). */
function wholeRange(n: number): Int32Array {
  let r = wholeRanges.get(n);
  if (!r) {
    r = Int32Array.of(0, n);
    wholeRanges.set(n, r);
  }
  return r;
}
