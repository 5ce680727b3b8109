import type { SimulationBackend } from '../backends/backend.js';
import { InputError } from '../util/errors.js';
import { exactSteps, msOfSteps } from '../util/time-steps.js';
import { backendOf, type MonitorTarget } from './monitor-target.js';
import { checkReplica } from './neuron-selection.js';

export interface PopulationRateMonitorOptions {
  /** Width of each rate bin, simulated ms: a multiple of dt (src/util/time-steps.ts). */
  binMs: number;
  /** Only this replica; leave out to average over every replica of the batch. */
  replica?: number;
}

/** Rates in bins of simulated time, one series per population. */
export interface PopulationRates {
  binMs: number;
  /** Start of each bin, ms of simulated time. */
  binStartMs: Float64Array;
  /** Mean rate per neuron in each bin, Hz, by population name. */
  ratesHz: Record<string, Float64Array>;
}

/**
 * Population rates over explicit windows of simulated time (after Brian2's
 * `PopulationRateMonitor`, binned): spikes per neuron in each complete bin
 * since the monitor was made, divided by the bin's width. Unlike
 * `SpikeRecorder.populationRatesHz(network, windowMs)`, which divides
 * cumulative counts by whatever window it is given, the windows here come
 * from the record's own steps: a window it has not seen is refused.
 * Reads the spike record, so it works on every backend.
 */
export class PopulationRateMonitor {
  private readonly backend: SimulationBackend;
  readonly binSteps: number;
  readonly binMs: number;
  readonly startStep: number;
  readonly replica: number | undefined;
  private readonly popOf: Int32Array;

  /** @throws InputError naming `binMs` (off the dt grid, below one step) or `replica` */
  constructor(target: MonitorTarget, options: PopulationRateMonitorOptions) {
    this.backend = backendOf(target);
    const net = this.backend.network;
    if (typeof options?.binMs !== 'number' || !Number.isFinite(options.binMs) || options.binMs <= 0) throw new InputError('binMs', `must be a number of ms > 0, a multiple of dt = ${net.dtMs} ms (got ${String(options?.binMs)})`);
    this.binSteps = exactSteps(options.binMs, net.dtMs, 'binMs');
    this.binMs = msOfSteps(this.binSteps, net.dtMs);
    this.replica = options.replica === undefined ? undefined : checkReplica(options.replica, this.backend.batch);
    this.startStep = this.backend.currentStep;
    this.popOf = new Int32Array(net.neuronCount);
    for (const p of net.populations) this.popOf.fill(p.index, p.start, p.start + p.size);
  }

  private get replicas(): number[] {
    return this.replica === undefined ? Array.from({ length: this.backend.batch }, (_, b) => b) : [this.replica];
  }

  /** Spike counts per population in steps [from, to), binned by `binSteps` from `from`. */
  private counts(from: number, to: number, binSteps: number): Float64Array[] {
    const net = this.backend.network;
    const bins = Math.floor((to - from) / binSteps);
    const out = net.populations.map(() => new Float64Array(bins));
    for (const b of this.replicas) {
      const pairs = this.backend.recorder.stores[b].toPairs();
      for (let k = 0; k < pairs.length; k += 2) {
        const s = pairs[k];
        if (s < from || s >= to) continue;
        const bin = Math.floor((s - from) / binSteps);
        if (bin < bins) out[this.popOf[pairs[k + 1]]][bin]++;
      }
    }
    return out;
  }

  /** Rates in every complete bin since the monitor started (a bin still running is left out). */
  rates(): PopulationRates {
    const net = this.backend.network;
    const bins = Math.floor((this.backend.currentStep - this.startStep) / this.binSteps);
    const counts = this.counts(this.startStep, this.startStep + bins * this.binSteps, this.binSteps);
    const ratesHz: Record<string, Float64Array> = {};
    const n = this.replicas.length;
    for (const p of net.populations) ratesHz[p.name] = counts[p.index].map((c) => c / (p.size * n * (this.binMs / 1000)));
    return { binMs: this.binMs, binStartMs: Float64Array.from({ length: bins }, (_, i) => msOfSteps(this.startStep + i * this.binSteps, net.dtMs)), ratesHz };
  }

  /**
   * Mean rate per population over one window [fromMs, toMs) of simulated
   * time; by default everything monitored so far.
   * @throws InputError naming `fromMs`/`toMs` when off the dt grid, outside what was monitored, or empty
   */
  meanRatesHz(window: { fromMs?: number; toMs?: number } = {}): Record<string, number> {
    const net = this.backend.network;
    const dt = net.dtMs;
    const from = window.fromMs === undefined ? this.startStep : exactSteps(window.fromMs, dt, 'fromMs', { minSteps: 0 });
    const to = window.toMs === undefined ? this.backend.currentStep : exactSteps(window.toMs, dt, 'toMs', { minSteps: 0 });
    const seen = `[${msOfSteps(this.startStep, dt)}, ${msOfSteps(this.backend.currentStep, dt)}] ms`;
    if (from < this.startStep) throw new InputError('fromMs', `must be within what was monitored, ${seen} (got ${msOfSteps(from, dt)})`);
    if (to > this.backend.currentStep) throw new InputError('toMs', `must be within what was monitored, ${seen} (got ${msOfSteps(to, dt)})`);
    if (to <= from) throw new InputError('toMs', `must be after fromMs (${msOfSteps(from, dt)} ms; monitored ${seen})`);
    const counts = this.counts(from, to, to - from);
    const seconds = msOfSteps(to - from, dt) / 1000;
    const out: Record<string, number> = {};
    for (const p of net.populations) out[p.name] = counts[p.index][0] / (p.size * this.replicas.length * seconds);
    return out;
  }
}
