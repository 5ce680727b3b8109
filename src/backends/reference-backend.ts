import type { Network } from '../model/network.js';
import type { SimulationOptions } from './backend.js';
import { BackendShell } from './backend-shell.js';
import { deliverStep, integrateStep } from './cpu-step.js';
import { planKernels, type KernelPlan } from './kernel-plan.js';
import { warmCpuKernels } from './warm-kernels.js';
import { guardKernel } from './guards.js';
import { validateSteps } from './simulation-options.js';
import type { GuardKernel } from '../../kernels/cpu/lif_step.js';

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

  constructor(network: Network, options: SimulationOptions = {}) {
    super(network, options, { sharedState: false, guardShards: 1 });
    this.plan = planKernels(network);
    this.spikes = new Int32Array(network.neuronCount);
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
    for (let s = 0; s < steps; s++) {
      const step = this.step;
      for (let b = 0; b < this.batch; b++) {
        const count = integrateStep(this.plan, this.state, this.effects, 0, this.seed, step, b, 0, n, this.spikes, 0, this.guard);
        this.recorder.record(step, b, this.spikes, count);
        if (count > 0) this.events += deliverStep(net.synapses, this.state, this.effects, step, b, this.spikes, count, this.slotOffset, net.maxDelaySteps);
      }
      this.step++;
      this.scrubber?.tick(this.step);
    }
  }
}
