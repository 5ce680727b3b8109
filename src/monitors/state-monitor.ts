import type { SimulationBackend } from '../backends/backend.js';
import { InputError } from '../util/errors.js';
import { exactSteps, msOfSteps } from '../util/time-steps.js';
import { backendOf, type MonitorTarget } from './monitor-target.js';
import { checkReplica, selectNeurons, type NeuronSelection } from './neuron-selection.js';

/** State a StateMonitor can record: membrane potential (mV) and the synaptic currents (pA). */
export type StateVariable = 'membraneMv' | 'currentExcPa' | 'currentInhPa';
export const STATE_VARIABLES: readonly StateVariable[] = ['membraneMv', 'currentExcPa', 'currentInhPa'];

export interface StateMonitorOptions extends NeuronSelection {
  /** What to record. @defaultValue ['membraneMv'] */
  variables?: readonly StateVariable[];
  /** Which replica. @defaultValue 0 */
  replica?: number;
  /** Record every this many ms of simulated time (a multiple of dt); or give `everySteps`. @defaultValue one step */
  intervalMs?: number;
  /** Record every this many steps (the steps form of intervalMs). */
  everySteps?: number;
}

/**
 * Membrane potential and synaptic currents of chosen neurons, sampled every
 * N steps (after Brian2's `StateMonitor`). It samples between runs, where
 * every backend's state is readable, so it is advanced by
 * `runMonitored(target, length, [monitor, ...])`, which stops at each sample
 * step; `sample()` records one sample now. A sample at step t is the state
 * after t steps, time t x dt.
 */
export class StateMonitor {
  private readonly backend: SimulationBackend;
  readonly neurons: Int32Array;
  readonly variables: readonly StateVariable[];
  readonly replica: number;
  readonly everySteps: number;
  readonly startStep: number;
  private readonly times: number[] = [];
  private readonly data = new Map<StateVariable, Float32Array[]>();
  private lastSampled = -1;

  /** @throws InputError naming `variables`, `intervalMs`/`everySteps`, `neurons`, `populations` or `replica` */
  constructor(target: MonitorTarget, options: StateMonitorOptions = {}) {
    this.backend = backendOf(target);
    const dt = this.backend.network.dtMs;
    this.neurons = selectNeurons(this.backend.network, options);
    this.replica = checkReplica(options.replica ?? 0, this.backend.batch);
    this.variables = options.variables ?? ['membraneMv'];
    for (const v of this.variables) if (!STATE_VARIABLES.includes(v)) throw new InputError('variables', `must be among ${STATE_VARIABLES.join(', ')} (got ${String(v)})`);
    if (options.intervalMs !== undefined && options.everySteps !== undefined) throw new InputError('intervalMs', 'give intervalMs or everySteps, not both');
    if (options.everySteps !== undefined && !(Number.isInteger(options.everySteps) && options.everySteps >= 1)) throw new InputError('everySteps', `must be an integer >= 1 (got ${options.everySteps})`);
    this.everySteps = options.intervalMs !== undefined ? exactSteps(options.intervalMs, dt, 'intervalMs') : options.everySteps ?? 1;
    this.startStep = this.backend.currentStep;
    for (const v of this.variables) this.data.set(v, []);
  }

  /** The next step after `step` this monitor samples at. */
  nextSampleStep(step: number): number {
    const k = Math.floor((step - this.startStep) / this.everySteps) + 1;
    return this.startStep + k * this.everySteps;
  }

  /** Records the current state if the current step is one of this monitor's sample steps and not yet recorded. */
  sampleIfDue(): void {
    const step = this.backend.currentStep;
    if (step >= this.startStep && (step - this.startStep) % this.everySteps === 0 && step !== this.lastSampled) this.sample();
  }

  /** Records the state now (between runs). */
  sample(): void {
    const base = this.replica * this.backend.network.neuronCount;
    for (const v of this.variables) {
      const buf = this.backend.buffer(v);
      const row = new Float32Array(this.neurons.length);
      for (let j = 0; j < this.neurons.length; j++) row[j] = buf[base + this.neurons[j]];
      this.data.get(v)!.push(row);
    }
    this.lastSampled = this.backend.currentStep;
    this.times.push(msOfSteps(this.backend.currentStep, this.backend.network.dtMs));
  }

  /** Sample times, ms of simulated time. */
  get timesMs(): Float64Array {
    return Float64Array.from(this.times);
  }

  /**
   * One variable's samples, row-major [sample][watched neuron] (length
   * samples x neurons.length), mV or pA.
   * @throws InputError naming `variable` when it is not recorded
   */
  values(variable: StateVariable): Float32Array {
    const rows = this.data.get(variable);
    if (!rows) throw new InputError('variable', `not recorded by this monitor (it records ${this.variables.join(', ')})`);
    const out = new Float32Array(rows.length * this.neurons.length);
    rows.forEach((r, i) => out.set(r, i * this.neurons.length));
    return out;
  }

  /** One neuron's trace of one variable (the neuron by global index; it must be watched). */
  trace(variable: StateVariable, neuron: number): Float32Array {
    const j = this.neurons.indexOf(neuron);
    if (j < 0) throw new InputError('neuron', `${neuron} is not watched by this monitor`);
    const all = this.values(variable);
    return Float32Array.from({ length: this.times.length }, (_, i) => all[i * this.neurons.length + j]);
  }
}
