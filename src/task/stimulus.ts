import type { StormKernel } from '../../kernels/cpu/inject_storm.js';
import { poissonTable } from '../../kernels/cpu/poisson_drive.js';
import { sampleSorted } from '../chaos/targets.js';
import { StreamRng } from '../util/rng.js';
import { allocArray } from '../util/shared-arrays.js';
import type { ResolvedTask } from './task-options.js';

/** Counter-generator streams of the task input: apart from the Poisson drives (population * 16 + drive) and storms (0x4000_0000 | hash). */
const TASK_STREAM_BASE = 0x2000_0000;

/**
 * The input side of the task: one storm kernel per (class, segment), whose
 * targets are that pattern's neurons. Each round re-arms the kernels for its
 * steps and for the replicas showing that class; the kernels run inside the
 * backends' own storm path, so every backend and worker count sees the same input.
 */
export class TaskStimulus {
  readonly kernels: StormKernel[][];

  constructor(readonly task: ResolvedTask, batch: number, shards: number, dtMs: number) {
    const ratePerStep = Math.min(1, (task.rateHz * dtMs) / 1000);
    const table = poissonTable(ratePerStep);
    const want = Math.max(1, Math.round(task.inputNeurons.length * task.patternFraction));
    this.kernels = Array.from({ length: task.classes }, (_, c) =>
      Array.from({ length: task.segments }, (_, s) => {
        const chosen = want === task.inputNeurons.length ? task.inputNeurons : sampleSorted(task.inputNeurons, want, new StreamRng(`${task.seed}:task:pattern:${c}:${s}`));
        const targets = allocArray(Int32Array, chosen.length, true);
        targets.set(chosen);
        return {
          targets,
          replicas: allocArray(Uint8Array, batch, true),
          startStep: 0,
          endStep: 0,
          poisson: true,
          ratePerStep,
          table,
          amplitude: task.amplitudePa,
          unitMv: false,
          stream: TASK_STREAM_BASE + c * 64 + s,
          events: allocArray(Float64Array, shards, true),
        };
      }),
    );
  }

  /** Storm id of a (class, segment) kernel in the chaos controller's effect table. */
  static id(c: number, s: number): string {
    return `task-input:${c}:${s}`;
  }

  /** Points every kernel at a round starting at `step` in which replica b shows class labels[b]. */
  arm(step: number, labels: number[]): void {
    // Plain loops: forEach closures here were compiled again by V8 in every campaign job.
    for (let c = 0; c < this.kernels.length; c++) {
      const row = this.kernels[c];
      for (let s = 0; s < row.length; s++) {
        const k = row[s];
        k.startStep = step + s * this.task.segmentSteps;
        k.endStep = k.startStep + this.task.segmentSteps;
        for (let b = 0; b < labels.length; b++) k.replicas[b] = labels[b] === c ? 1 : 0;
      }
    }
  }
}

/** Class labels of the round starting at `step`: a fresh permutation of the classes laid over the replicas, so a batch of B >= classes is near balanced. */
export function roundLabels(seed: number, step: number, classes: number, batch: number): number[] {
  const rng = new StreamRng(`${seed}:task:labels:${step}`);
  const perm = Array.from({ length: classes }, (_, c) => c);
  for (let i = classes - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [perm[i], perm[j]] = [perm[j], perm[i]];
  }
  return Array.from({ length: batch }, (_, b) => perm[b % classes]);
}
