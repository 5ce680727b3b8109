import type { SimulationBackend } from '../backends/backend.js';
import { msOfSteps } from '../util/time-steps.js';
import { backendOf, type MonitorTarget } from './monitor-target.js';
import { checkReplica, selectNeurons, type NeuronSelection } from './neuron-selection.js';

export interface SpikeMonitorOptions extends NeuronSelection {
  /** Which replica of the batch. @defaultValue 0 */
  replica?: number;
}

/** Spikes as two parallel typed arrays (Brian2's `SpikeMonitor.t` and `.i`), in time order, neurons ascending within a step. */
export interface SpikeTrains {
  /** Spike times, ms of simulated time (step x dt). */
  timesMs: Float64Array;
  /** Global neuron index of each spike. */
  neurons: Int32Array;
}

/**
 * The spikes of chosen neurons or populations from the step the monitor was
 * made on (after Brian2's `SpikeMonitor`). It reads the backend's spike
 * record, which every backend keeps identically, so it needs no hook in the
 * run loop and works on every backend; a checkpoint restore or a rewind cuts
 * it back with the record.
 */
export class SpikeMonitor {
  private readonly backend: SimulationBackend;
  /** Global indices watched, ascending. */
  readonly neurons: Int32Array;
  readonly replica: number;
  /** The step monitoring started at. */
  readonly startStep: number;
  private readonly watched: Uint8Array;

  constructor(target: MonitorTarget, options: SpikeMonitorOptions = {}) {
    this.backend = backendOf(target);
    this.neurons = selectNeurons(this.backend.network, options);
    this.replica = checkReplica(options.replica ?? 0, this.backend.batch);
    this.startStep = this.backend.currentStep;
    this.watched = new Uint8Array(this.backend.network.neuronCount);
    for (const i of this.neurons) this.watched[i] = 1;
  }

  /** The spikes recorded so far (copies). */
  spikes(): SpikeTrains {
    const pairs = this.backend.recorder.stores[this.replica].toPairs();
    const dt = this.backend.network.dtMs;
    const times: number[] = [];
    const neurons: number[] = [];
    for (let k = 0; k < pairs.length; k += 2) {
      if (pairs[k] >= this.startStep && this.watched[pairs[k + 1]] === 1) {
        times.push(msOfSteps(pairs[k], dt));
        neurons.push(pairs[k + 1]);
      }
    }
    return { timesMs: Float64Array.from(times), neurons: Int32Array.from(neurons) };
  }

  /** Spikes per watched neuron (Brian2's `count`), aligned with `neurons`. */
  counts(): Uint32Array {
    const at = new Map<number, number>();
    this.neurons.forEach((n, j) => at.set(n, j));
    const out = new Uint32Array(this.neurons.length);
    for (const n of this.spikes().neurons) out[at.get(n)!]++;
    return out;
  }
}
