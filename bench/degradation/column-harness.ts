import { createBackend } from '../../src/backends/create-backend.js';
import type { SimulationBackend } from '../../src/backends/backend.js';
import type { SimulationCheckpoint } from '../../src/backends/checkpoint.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { Network } from '../../src/model/network.js';
import { ColumnTask } from '../../src/task/task-accuracy.js';
import type { LinearReadout } from '../../src/task/linear-readout.js';
import type { TaskSamples } from '../../src/task/collect-samples.js';
import type { Allocator } from '../../src/memory/allocator.js';
import { vanRossumPerNeuron } from './spike-distance.js';
import type { SweepConfig } from './sweep-config.js';

/** Defences as backend options: guards and weight scrubbing every 10 ms, or neither. */
export function defenceOptions(on: boolean, dtMs: number) {
  return on ? { guards: { enabled: true }, scrub: { everySteps: Math.round(10 / dtMs) } } : { guards: { enabled: false } };
}

/** What a window of simulation left: per replica, its spikes, counts per neuron and the wall time. */
export interface WindowRecord {
  fromStep: number;
  toStep: number;
  pairs: Int32Array[];
  counts: Float64Array[];
  wallMs: number;
  samples: TaskSamples | null;
}

/**
 * One column under test: warmed up, a readout trained on the healthy column,
 * a checkpoint every measurement restarts from, and the control windows
 * (no fault) every faulted window is compared with, replica by replica (the
 * same seeds and stimulus: without a fault, the spikes would be identical).
 */
export class ColumnHarness {
  readonly chaos: ChaosController;
  readonly task: ColumnTask;
  private cp!: SimulationCheckpoint;
  readout!: LinearReadout;
  healthyAccuracy = NaN;
  chance = NaN;
  controlTask!: WindowRecord;
  controlPlain!: WindowRecord & { stormWallMs: number };

  private constructor(readonly backend: SimulationBackend, readonly cfg: SweepConfig, allocator?: Allocator) {
    this.chaos = new ChaosController(backend, { seed: cfg.seed, allocator });
    this.task = new ColumnTask(this.chaos, { seed: cfg.seed });
  }

  static async create(network: Network, cfg: SweepConfig, defences: boolean, onUnits: (replicaMs: number) => void): Promise<ColumnHarness> {
    const { backend } = createBackend(network, { backend: cfg.backend, workers: cfg.backend === 'cpu' ? 1 : cfg.workers, batch: cfg.trials, seed: cfg.seed, ...defenceOptions(defences, network.dtMs) });
    const h = new ColumnHarness(backend, cfg);
    const dt = network.dtMs;
    await backend.run(Math.round(cfg.warmupMs / dt));
    onUnits(cfg.warmupMs * cfg.trials);
    const roundMs = h.roundMs;
    const { readout, score } = await h.task.train({ trainRounds: cfg.trainRounds, testRounds: cfg.testRounds, onRound: () => onUnits(roundMs * cfg.trials) });
    h.readout = readout;
    h.healthyAccuracy = score.accuracy;
    h.chance = score.chance;
    h.cp = backend.checkpoint();
    h.controlTask = await h.taskWindow(() => onUnits(roundMs * cfg.trials));
    h.controlPlain = await h.plainWindow(cfg.stormMs, cfg.postStormMs);
    onUnits((cfg.stormMs + cfg.postStormMs) * cfg.trials);
    return h;
  }

  get roundMs(): number {
    return (this.task.task.windowSteps + this.task.task.gapSteps) * this.backend.network.dtMs;
  }

  /** Back to the checkpoint, every fault stopped. */
  async reset(): Promise<void> {
    await this.chaos.stopAll();
    this.backend.restore(this.cp);
  }

  /** Held-out presentations from the checkpoint on (the faults in place stay). */
  async taskWindow(onRound: () => void): Promise<WindowRecord> {
    const from = this.backend.currentStep;
    const before = this.countsNow();
    const t0 = performance.now();
    const samples = await this.task.collect(this.cfg.testRounds, { onRound });
    return this.record(from, before, performance.now() - t0, samples);
  }

  /** A storm window and the time after it, without stimulus; `onStormDone` runs between the two (to stop nothing: storms end in the kernels). */
  async plainWindow(stormMs: number, postMs: number): Promise<WindowRecord & { stormWallMs: number }> {
    const dt = this.backend.network.dtMs;
    const from = this.backend.currentStep;
    const before = this.countsNow();
    const t0 = performance.now();
    await this.chaos.run(Math.round(stormMs / dt));
    const stormWallMs = performance.now() - t0;
    await this.chaos.run(Math.round(postMs / dt));
    return { ...this.record(from, before, performance.now() - t0, null), stormWallMs };
  }

  private countsNow(): Float64Array {
    return Float64Array.from(this.backend.recorder.counts);
  }

  private record(from: number, before: Float64Array, wallMs: number, samples: TaskSamples | null): WindowRecord {
    const n = this.backend.network.neuronCount;
    const after = this.backend.recorder.counts;
    const counts = Array.from({ length: this.backend.batch }, (_, b) => Float64Array.from({ length: n }, (_, i) => after[b * n + i] - before[b * n + i]));
    const pairs = this.backend.recorder.stores.map((s) => s.toPairs());
    return { fromStep: from, toStep: this.backend.currentStep, pairs, counts, wallMs, samples };
  }

  /** Per replica: mean over populations of |rate - control rate| (Hz) over the window. */
  rateDeviation(w: WindowRecord, control: WindowRecord, toStep = w.toStep): number[] {
    const net = this.backend.network;
    const seconds = ((toStep - w.fromStep) * net.dtMs) / 1000;
    return w.counts.map((c, b) => {
      let dev = 0;
      for (const p of net.populations) {
        let f = 0;
        let k = 0;
        for (let i = p.start; i < p.start + p.size; i++) {
          f += c[i];
          k += control.counts[b][i];
        }
        dev += Math.abs(f - k) / (p.size * seconds);
      }
      return dev / net.populations.length;
    });
  }

  /** Per replica: van Rossum distance (tau 10 ms) per neuron to the control's spikes over [from, to). */
  spikeDistance(w: WindowRecord, control: WindowRecord, fromStep = w.fromStep, toStep = w.toStep): number[] {
    const net = this.backend.network;
    return w.pairs.map((p, b) => vanRossumPerNeuron(p, control.pairs[b], fromStep, toStep, net.neuronCount, Math.round(10 / net.dtMs)));
  }

  /**
   * Per replica: simulated ms after `fromStep` until the network rate, in 20 ms
   * bins, stays within max(50% of the control's mean, 1 Hz) of the control's
   * for two bins in a row; censored at the end of the window when it never does.
   */
  recoveryMs(w: WindowRecord, control: WindowRecord, fromStep: number): number[] {
    const net = this.backend.network;
    const binSteps = Math.round(20 / net.dtMs);
    const bins = Math.floor((w.toStep - fromStep) / binSteps);
    const rate = (pairs: Int32Array) => {
      const r = new Float64Array(bins);
      for (let k = 0; k < pairs.length; k += 2) {
        const j = Math.floor((pairs[k] - fromStep) / binSteps);
        if (j >= 0 && j < bins) r[j] += 1000 / (net.neuronCount * binSteps * net.dtMs);
      }
      return r;
    };
    return w.pairs.map((p, b) => {
      const f = rate(p);
      const c = rate(control.pairs[b]);
      const tol = Math.max(0.5 * (c.reduce((a, x) => a + x, 0) / Math.max(1, bins)), 1);
      for (let j = 0; j + 1 < bins; j++) if (Math.abs(f[j] - c[j]) <= tol && Math.abs(f[j + 1] - c[j + 1]) <= tol) return j * binSteps * net.dtMs;
      return bins * binSteps * net.dtMs;
    });
  }

  dispose(): Promise<void> {
    return this.backend.dispose();
  }
}
