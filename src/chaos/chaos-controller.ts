import type { StormKernel } from '../../kernels/cpu/inject_storm.js';
import type { SimulationBackend } from '../backends/backend.js';
import { InputError } from '../util/errors.js';
import type { RunOptions, RunOutcome } from '../backends/backend.js';
import { defaultAllocator, type Allocator } from '../memory/allocator.js';
import type { PartitionKernel } from '../../kernels/cpu/deliver_partitioned.js';
import type { ActiveFault, FaultContext } from './fault.js';
import type { FaultHooks, NeuronFaultContribution } from './fault-hooks.js';
import { faultKindOf } from './fault-kinds.js';
import { validateFaultSpec, type FaultInput } from './fault-spec.js';
import type { InjectEnv } from './kind-descriptor.js';
import { WeightFaultLayer } from './weight-layer.js';
import { stepsOfRunLength, type RunLength } from '../backends/run-length.js';
import { checkMultipleOfDt, roundedSteps } from '../util/time-steps.js';
import { faultStepFields } from './fault-step-fields.js';

export interface ChaosOptions {
  /** Experiment seed: every target choice is drawn from a stream keyed by (seed, fault id). @defaultValue 1 */
  seed?: number;
  /** The allocator the backend takes its buffers from (allocator pressure acts on it). @defaultValue the process-wide one */
  allocator?: Allocator;
}

export interface StopReport {
  id: string;
  ok: boolean;
  error?: string;
}

/**
 * Injects faults into a live simulation through the backend interface and
 * keeps the shared fault tables (storms, neuron faults, weight layers)
 * consistent, so faults compose and stop in any order. Inject and stop
 * between run() calls.
 */
export class ChaosController implements FaultHooks {
  private readonly faults = new Map<string, ActiveFault>();
  private readonly storms = new Map<string, StormKernel>();
  private readonly neuronFaults = new Map<string, NeuronFaultContribution>();
  private readonly partitions = new Map<string, PartitionKernel[]>();
  private readonly weights: WeightFaultLayer;
  private readonly weightBits: Uint32Array;
  private counter = 0;
  readonly seed: number;
  readonly allocator: Allocator;

  constructor(readonly backend: SimulationBackend, options: ChaosOptions = {}) {
    this.seed = options.seed ?? 1;
    this.allocator = options.allocator ?? defaultAllocator;
    const w = backend.synapses().weightsPa;
    this.weightBits = new Uint32Array(w.buffer, w.byteOffset, w.length);
    this.weights = new WeightFaultLayer(this.weightBits);
  }

  /**
   * Validates a spec, chooses its targets from the seeded stream, and puts
   * the fault into effect. Typed: one kind's fields, told apart by `kind`
   * (FaultInput, src/chaos/fault-spec.ts), and still validated at run time
   * (ranges, the dt grid). Data of unknown shape (a file) goes through
   * `injectUnknown`.
   * @throws InputError naming the field and its allowed range; UnsupportedError when the backend cannot host the kind
   */
  async inject(spec: FaultInput): Promise<ActiveFault> {
    return this.injectValidated(spec, true);
  }

  /** `inject` for data not known to be a FaultInput (read from a file, drawn by a fuzzer): the same run-time validation. */
  async injectUnknown(specInput: unknown): Promise<ActiveFault> {
    return this.injectValidated(specInput, true);
  }

  /**
   * `inject` for a spec whose simulated times the tool derived (scaled by
   * `--time-scale`: the experiment engine): they round to the nearest step
   * instead of being refused off the dt grid (src/util/time-steps.ts).
   */
  async injectPlanned(specInput: unknown): Promise<ActiveFault> {
    return this.injectValidated(specInput, false);
  }

  private async injectValidated(specInput: unknown, userTimes: boolean): Promise<ActiveFault> {
    const spec = validateFaultSpec(specInput);
    // Times a user wrote must be whole steps of dt (the one time rule); the field is named as the validator names it.
    if (userTimes) {
      const f = spec as unknown as Record<string, unknown>;
      for (const k of faultStepFields(spec.kind)) if (typeof f[k] === 'number') checkMultipleOfDt(f[k] as number, this.backend.network.dtMs, `fault.${k}`);
    }
    const id = spec.id ?? `${spec.kind}-${++this.counter}`;
    if (this.faults.has(id) && !this.faults.get(id)!.stopped) throw new InputError('fault.id', `"${id}" is already active`);
    const ctx: FaultContext = { backend: this.backend, network: this.backend.network, seed: this.seed, step: this.backend.currentStep };
    const kind = faultKindOf(spec.kind);
    const fault = await kind.inject(ctx, spec, id, this.env);
    this.faults.set(id, fault);
    // Kinds whose effect knows no time window are stopped by the controller at their duration.
    if (kind.durationEndsBy === 'controller' && 'durationMs' in spec && typeof spec.durationMs === 'number') {
      this.schedule(ctx.step + Math.max(1, roundedSteps(spec.durationMs, this.backend.network.dtMs, 'fault.durationMs', { minSteps: 0 })), () => fault.stop());
    }
    return fault;
  }

  /** What a kind may use while injecting (see InjectEnv). */
  private get env(): InjectEnv {
    return {
      hooks: this,
      weights: this.weights,
      weightBits: this.weightBits,
      allocator: this.allocator,
      injectChild: (s) => this.injectPlanned(s),
      schedule: (step, action) => this.schedule(step, action),
      register: (f) => void this.faults.set(f.id, f),
      unregister: (id) => void this.faults.delete(id),
    };
  }

  private readonly scheduled: { step: number; action: () => Promise<void> }[] = [];

  /** Runs `action` when the simulation reaches `step` (through run()). */
  schedule(step: number, action: () => Promise<void>): void {
    this.scheduled.push({ step, action });
    this.scheduled.sort((a, b) => a.step - b.step);
  }

  /**
   * Advances the simulation by `length` (steps, `{ durationMs }` or `{ steps }`), stopping at every scheduled chaos
   * action (a cascade's next depth) to carry it out at its exact step.
   */
  async run(length: RunLength, options: RunOptions = {}): Promise<RunOutcome> {
    const steps = stepsOfRunLength(length, this.backend.network.dtMs);
    const target = this.backend.currentStep + steps;
    let done = 0;
    while (this.backend.currentStep < target) {
      while (this.scheduled.length > 0 && this.scheduled[0].step <= this.backend.currentStep) await this.scheduled.shift()!.action();
      const next = this.scheduled.length > 0 ? Math.min(target, this.scheduled[0].step) : target;
      const outcome = await this.backend.run(next - this.backend.currentStep, options);
      done += outcome.stepsRun;
      if (outcome.interrupted) return { stepsRun: done, interrupted: true };
    }
    while (this.scheduled.length > 0 && this.scheduled[0].step <= this.backend.currentStep) await this.scheduled.shift()!.action();
    return { stepsRun: done, interrupted: false };
  }

  get active(): ActiveFault[] {
    return [...this.faults.values()].filter((f) => !f.stopped);
  }

  get(id: string): ActiveFault | undefined {
    return this.faults.get(id);
  }

  async stop(id: string): Promise<void> {
    const f = this.faults.get(id);
    if (!f) throw new InputError('fault.id', `no fault "${id}" (known: ${[...this.faults.keys()].join(', ') || 'none'})`);
    await f.stop();
  }

  /** Stops every active fault, newest first; a failing stop does not stop the others and is reported. */
  async stopAll(): Promise<StopReport[]> {
    const reports: StopReport[] = [];
    for (const f of this.active.reverse()) {
      try {
        await f.stop();
        reports.push({ id: f.id, ok: true });
      } catch (e) {
        reports.push({ id: f.id, ok: false, error: e instanceof Error ? e.message : String(e) });
      }
    }
    return reports;
  }

  setPartitions(id: string, kernels: PartitionKernel[] | null): void {
    if (kernels) this.partitions.set(id, kernels);
    else this.partitions.delete(id);
    try {
      this.publishEffects();
    } catch (e) {
      // A backend that cannot host the effect refuses it: leave the tables as they were.
      if (kernels) {
        this.partitions.delete(id);
        this.publishEffects();
      }
      throw e;
    }
  }

  private publishEffects(): void {
    this.backend.setStepEffects({ storms: [...this.storms.values()], partitions: [...this.partitions.values()].flat() });
  }

  setStorm(id: string, storm: StormKernel | null): void {
    if (storm) this.storms.set(id, storm);
    else this.storms.delete(id);
    this.publishEffects();
  }

  private neuronTableStep = -1;

  neuronTableChangedAt(): number {
    return this.neuronTableStep;
  }

  neuronCoveredByOther(id: string, b: number, i: number): boolean {
    for (const [other, c] of this.neuronFaults) if (other !== id && c.covers(b, i)) return true;
    return false;
  }

  setNeuronFault(id: string, contribution: NeuronFaultContribution | null): void {
    if (contribution) this.neuronFaults.set(id, contribution);
    else this.neuronFaults.delete(id);
    const code = this.backend.buffer('faultCode') as Uint8Array;
    const params = this.backend.buffer('faultParams') as Float32Array;
    this.neuronTableStep = this.backend.currentStep;
    code.fill(0);
    params.fill(0);
    for (const c of this.neuronFaults.values()) c.writeFaults(code, params);
    // Flag the (replica, population) ranges that hold a faulted neuron: only those run the faulted kernel.
    const flags = this.backend.buffer('faultedPopulations') as Uint8Array;
    const net = this.backend.network;
    flags.fill(0);
    for (let b = 0; b < this.backend.batch; b++) {
      for (const p of net.populations) {
        const base = b * net.neuronCount + p.start;
        for (let i = 0; i < p.size; i++) {
          if (code[base + i] !== 0) {
            flags[b * net.populations.length + p.index] = 1;
            break;
          }
        }
      }
    }
  }
}
