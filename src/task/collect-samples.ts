import type { ChaosController } from '../chaos/chaos-controller.js';
import type { RunOptions } from '../backends/backend.js';
import { check } from '../util/errors.js';
import { roundLabels, TaskStimulus } from './stimulus.js';
import type { ResolvedTask } from './task-options.js';

/** Samples of the task: spike counts of the readout neurons in the counting window, with the class shown. */
export interface TaskSamples {
  /** One row per sample: counts of the readout neurons, ascending neuron order. */
  features: Float64Array[];
  labels: number[];
  /** Replica each sample ran on. */
  replicas: number[];
  /** Round (presentation) index within the collection. */
  rounds: number[];
  classes: number;
}

export interface CollectOptions {
  /** Replicas whose samples are kept (all replicas are stimulated). @defaultValue every replica */
  replicas?: number[];
  /** Called after each round with rounds done and asked for. */
  onRound?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Presents `rounds` samples on every replica of the controller's backend, one
 * after the other (counting window, then a gap), and returns the readout
 * features. The input goes through the controller's storm table, so it
 * composes with any fault injected there; time advances through the
 * controller, so faults with a duration stop on time.
 */
export async function collectSamples(chaos: ChaosController, task: ResolvedTask, rounds: number, options: CollectOptions = {}): Promise<TaskSamples> {
  const backend = chaos.backend;
  check(Number.isInteger(rounds) && rounds >= 1 && rounds <= 1e6, 'rounds', () => `must be an integer in [1, 1000000] (got ${rounds})`);
  check(backend.currentStep >= backend.recorder.countFromStep, 'task', () => `samples need the warm-up to be over: the column is at step ${backend.currentStep}, counting starts at step ${backend.recorder.countFromStep}`);
  const keep = options.replicas ?? Array.from({ length: backend.batch }, (_, b) => b);
  keep.forEach((b, i) => check(Number.isInteger(b) && b >= 0 && b < backend.batch, `replicas[${i}]`, () => `must be a replica in [0, ${backend.batch - 1}] (got ${b})`));
  const stimulus = new TaskStimulus(task, backend.batch, backend.shardCount, backend.network.dtMs);
  const n = backend.network.neuronCount;
  const readout = task.readoutNeurons;
  const out: TaskSamples = { features: [], labels: [], replicas: [], rounds: [], classes: task.classes };
  const run: RunOptions = { signal: options.signal };
  const before = new Float64Array(keep.length * readout.length);
  const counts = backend.recorder.counts;
  try {
    for (let r = 0; r < rounds; r++) {
      const step = backend.currentStep;
      const labels = roundLabels(task.seed, step, task.classes, backend.batch);
      stimulus.arm(step, labels);
      // Plain loops, not forEach closures: V8 compiled those closures again in every campaign job (about 120 ms of
      // compiler thread per 24 jobs), taking the second core from a second pool process.
      for (let c = 0; c < stimulus.kernels.length; c++) {
        const row = stimulus.kernels[c];
        const on = labels.includes(c);
        for (let s = 0; s < row.length; s++) chaos.setStorm(TaskStimulus.id(c, s), on ? row[s] : null);
      }
      for (let j = 0; j < keep.length; j++) {
        const b = keep[j];
        for (let k = 0; k < readout.length; k++) before[j * readout.length + k] = counts[b * n + readout[k]];
      }
      if ((await chaos.run(task.windowSteps, run)).interrupted) break;
      for (let j = 0; j < keep.length; j++) {
        const b = keep[j];
        const row = new Float64Array(readout.length);
        for (let k = 0; k < readout.length; k++) row[k] = counts[b * n + readout[k]] - before[j * readout.length + k];
        out.features.push(row);
        out.labels.push(labels[b]);
        out.replicas.push(b);
        out.rounds.push(r);
      }
      if (task.gapSteps > 0 && (await chaos.run(task.gapSteps, run)).interrupted) break;
      options.onRound?.(r + 1, rounds);
    }
  } finally {
    stimulus.kernels.forEach((row, c) => row.forEach((_, s) => chaos.setStorm(TaskStimulus.id(c, s), null)));
  }
  return out;
}

/** The samples of the first `rounds` rounds (a smaller training set). */
export function firstRounds(samples: TaskSamples, rounds: number): TaskSamples {
  const keep = samples.rounds.map((r, i) => (r < rounds ? i : -1)).filter((i) => i >= 0);
  return { classes: samples.classes, features: keep.map((i) => samples.features[i]), labels: keep.map((i) => samples.labels[i]), replicas: keep.map((i) => samples.replicas[i]), rounds: keep.map((i) => samples.rounds[i]) };
}
