import { ownedNetwork } from '../model/lent-network.js';
import type { Network } from '../model/network.js';
import type { SimulationOptions } from './backend.js';
import { BackendShell } from './backend-shell.js';
import { deliverStep, integrateStep } from './cpu-step.js';
import { planKernels, type KernelPlan } from './kernel-plan.js';
import { warmCpuKernels } from './warm-kernels.js';
import { guardKernel } from './guards.js';
import { validateSteps } from './simulation-options.js';
import type { GuardKernel } from '../../kernels/cpu/lif_step.js';
import type { DeviceReservation } from '../memory/allocator.js';
import { WasmKernels } from './cpu/wasm-kernels.js';
import { PRECISIONS, resolvePrecision } from './precision.js';

export { MAX_BATCH, resolveSimulationOptions, validateSteps } from './simulation-options.js';

/**
 * The single-threaded reference simulator (`--backend cpu`): the semantics
 * every other backend is compared against, spike for spike. Its kernels are
 * the CPU kernels of cpu-step.ts run over the shell's host state.
 */
export class ReferenceBackend extends BackendShell {
  readonly name: 'cpu';
  private readonly plan: KernelPlan;
  private readonly spikes: Int32Array;
  private readonly slotOffset: Float64Array;
  private readonly guard: GuardKernel | null;
  /** The wasm kernels and the memory that holds the hot state (null: the JavaScript kernels run). */
  private readonly wasm: WasmKernels | null;
  private wasmReservation: DeviceReservation | null;

  constructor(network: Network, options: SimulationOptions = {}) {
    // Resolved before the shell (which checks it again) because the plan and the wasm layout come first.
    const plan = planKernels(network, resolvePrecision(options.precision));
    // Laid out before the shell, which takes the memory's copy of the synapses as its live synapses.
    const kernels = WasmKernels.create(network, options.batch ?? 1, plan);
    // Without the memory's copy the shell's live synapses are the network's: they must be this backend's own.
    if (kernels?.synapses == null) network = ownedNetwork(network);
    try {
      super(network, options, { sharedState: false, guardShards: 1, synapses: kernels?.synapses ?? undefined, precisions: { backend: 'cpu', supported: PRECISIONS } });
    } catch (e) {
      // The shell refused the options or its state's memory: the wasm memory goes back to the pool for the next backend.
      kernels?.release();
      throw e;
    }
    this.name = 'cpu';
    this.wasmReservation = null;
    this.plan = plan;
    const replaced = kernels?.bindState(this.state) ?? null;
    this.wasm = replaced === null ? null : kernels;
    if (replaced !== null) {
      // The allocator charged the arrays the state copied into the wasm memory: it charges that memory instead.
      for (const a of replaced) this.allocator.release(a);
      try {
        this.wasmReservation = this.allocator.reserve(kernels!.stateBytes, 'simulation state');
      } catch (e) {
        kernels!.release();
        this.abandon(e);
      }
    }
    this.spikes = this.wasm ? this.wasm.spikes : new Int32Array(network.neuronCount);
    this.guard = guardKernel(this.guards, 0);
    warmCpuKernels(this.plan, this.guard);
    this.slotOffset = new Float64Array(network.maxDelaySteps + 1);
  }

  /** Advances `steps` steps synchronously (no chunks, no abort checks). */
  advance(steps: number): void {
    validateSteps(steps);
    this.assertAlive();
    const t0 = performance.now();
    this.advanceSteps(steps);
    this.wallMs += performance.now() - t0;
  }

  protected advanceSteps(steps: number): void {
    const net = this.network;
    const n = net.neuronCount;
    const syn = this.synapses();
    const wasm = this.wasm !== null && this.wasm.holdsState(this.state, this.spikes) ? this.wasm : null;
    const deliverWasm = wasm !== null && wasm.holdsSynapses(syn) ? wasm : null;
    for (let s = 0; s < steps; s++) {
      const step = this.step;
      for (let b = 0; b < this.batch; b++) {
        const count = integrateStep(this.plan, this.state, this.effects, 0, this.seed, step, b, 0, n, this.spikes, 0, this.guard, wasm);
        this.recorder.record(step, b, this.spikes, count);
        if (count > 0) this.events += deliverStep(syn, this.state, this.effects, step, b, this.spikes, count, this.slotOffset, net.maxDelaySteps, deliverWasm);
      }
      this.step++;
      this.scrubber?.tick(this.step);
    }
  }

  /** The host state may have been written (a fault through buffer(), a restore): the wasm guards re-prove their state bound. */
  protected override stateWritten(): void {
    this.wasm?.invalidateStateBounds();
  }

  protected override releaseKernels(): void {
    if (this.wasmReservation !== null) this.allocator.release(this.wasmReservation);
    this.wasmReservation = null;
    // Last: the state's hot arrays are views of the memory, detached once it is given back.
    this.wasm?.release();
  }
}
