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
import { WasmLif } from './cpu/wasm-lif.js';

export { MAX_BATCH, resolveSimulationOptions, validateSteps } from './simulation-options.js';

/**
 * The single-threaded reference simulator (`--backend cpu`): the semantics
 * every other backend is compared against, spike for spike. Its kernels are
 * the CPU kernels of cpu-step.ts run over the shell's host state.
 */
export class ReferenceBackend extends BackendShell {
  readonly name = 'cpu';
  private readonly plan: KernelPlan;
  private readonly spikes: Int32Array;
  private readonly slotOffset: Float64Array;
  private readonly guard: GuardKernel | null;
  /** The wasm kernels and the memory that holds the hot state (null: the JavaScript kernels run). */
  private readonly wasm: WasmLif | null;
  private wasmReservation: DeviceReservation | null = null;

  constructor(network: Network, options: SimulationOptions = {}) {
    super(network, options, { sharedState: false, guardShards: 1 });
    this.plan = planKernels(network);
    const hot = [this.state.membraneMv, this.state.currentExcPa, this.state.currentInhPa, this.state.refractorySteps, this.state.ringExcPa, this.state.ringInhPa];
    this.wasm = WasmLif.place(this.state, this.plan, network.neuronCount);
    if (this.wasm !== null) {
      // The allocator charged the arrays the state now copies into the wasm memory: it charges that memory instead.
      for (const a of hot) this.allocator.release(a);
      try {
        this.wasmReservation = this.allocator.reserve(this.wasm.bytes, 'simulation state');
      } catch (e) {
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
    const wasm = this.wasm !== null && this.wasm.holds(this.state, this.spikes) ? this.wasm : null;
    for (let s = 0; s < steps; s++) {
      const step = this.step;
      for (let b = 0; b < this.batch; b++) {
        const count = integrateStep(this.plan, this.state, this.effects, 0, this.seed, step, b, 0, n, this.spikes, 0, this.guard, wasm);
        this.recorder.record(step, b, this.spikes, count);
        if (count > 0) this.events += deliverStep(net.synapses, this.state, this.effects, step, b, this.spikes, count, this.slotOffset, net.maxDelaySteps);
      }
      this.step++;
      this.scrubber?.tick(this.step);
    }
  }

  protected override releaseKernels(): void {
    if (this.wasmReservation !== null) this.allocator.release(this.wasmReservation);
    this.wasmReservation = null;
  }
}
