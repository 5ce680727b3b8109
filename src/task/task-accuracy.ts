import type { ChaosController } from '../chaos/chaos-controller.js';
import { check } from '../util/errors.js';
import { collectSamples, firstRounds, type CollectOptions, type TaskSamples } from './collect-samples.js';
import { chanceLevel, LinearReadout, type ReadoutOptions } from './linear-readout.js';
import { resolveTaskOptions, type ResolvedTask, type TaskOptions } from './task-options.js';

export interface TrainOptions extends CollectOptions {
  /** Rounds of training presentations (each gives one sample per replica). @defaultValue 30 */
  trainRounds?: number;
  /** Rounds of held-out presentations. @defaultValue 15 */
  testRounds?: number;
  readout?: ReadoutOptions;
}

export interface TaskScore {
  /** Share of held-out samples classified correctly. */
  accuracy: number;
  /** The most frequent class's share of the held-out samples (1 / classes when balanced). */
  chance: number;
  trainSamples: number;
  testSamples: number;
  /** Accuracy of each replica's held-out samples: the trials behind a confidence interval. */
  perReplica: number[];
}

/**
 * The task on one column: the patterns, and the protocol (train a readout on
 * the column as it is, test on held-out presentations, measure a fault's
 * accuracy loss and whether retraining recovers it).
 */
export class ColumnTask {
  readonly task: ResolvedTask;

  constructor(readonly chaos: ChaosController, options: TaskOptions = {}) {
    this.task = resolveTaskOptions(chaos.backend.network, options);
  }

  /** Presents `rounds` samples per replica and returns the readout features. */
  collect(rounds: number, options: CollectOptions = {}): Promise<TaskSamples> {
    return collectSamples(this.chaos, this.task, rounds, options);
  }

  /** Trains a readout on fresh presentations and scores it on later, held-out ones. */
  async train(options: TrainOptions = {}): Promise<{ readout: LinearReadout; score: TaskScore; test: TaskSamples }> {
    const train = await this.collect(options.trainRounds ?? 30, options);
    const test = await this.collect(options.testRounds ?? 15, options);
    const readout = LinearReadout.fit(train, options.readout);
    return { readout, test, score: scoreOf(readout, train.features.length, test) };
  }

  /**
   * A fault's effect on the computation: inject it, score the readout trained
   * on the healthy column on held-out presentations under the fault, then
   * retrain readouts on growing sets of presentations from the faulted column
   * (the adaptation) and score them on the same held-out set. Stops the fault.
   */
  async faultImpact(readout: LinearReadout, healthyAccuracy: number, faultSpec: unknown, options: FaultImpactOptions = {}): Promise<FaultImpact> {
    const sizes = [...new Set(options.adaptationRounds ?? [5, 10, 20, 40])].sort((a, b) => a - b);
    sizes.forEach((m, i) => check(Number.isInteger(m) && m >= 1, `adaptationRounds[${i}]`, () => `must be an integer >= 1 (got ${m})`));
    const tolerance = options.tolerance ?? 0.05;
    check(tolerance >= 0 && tolerance <= 1, 'tolerance', () => `must be in [0, 1] (got ${tolerance})`);
    const fault = await this.chaos.injectUnknown(faultSpec);
    try {
      const retrainSet = sizes.length > 0 ? await this.collect(sizes[sizes.length - 1], options) : null;
      const test = await this.collect(options.testRounds ?? 15, options);
      const faulted = scoreOf(readout, 0, test);
      const adaptation = retrainSet
        ? sizes.map((m) => {
            const set = firstRounds(retrainSet, m);
            const score = scoreOf(LinearReadout.fit(set, options.readout), set.features.length, test);
            return { trainSamples: set.features.length, accuracy: score.accuracy, perReplica: score.perReplica };
          })
        : [];
      const recoveredAt = adaptation.find((a) => a.accuracy >= healthyAccuracy - tolerance);
      return {
        faultId: fault.id,
        healthyAccuracy,
        faultedAccuracy: faulted.accuracy,
        accuracyLoss: healthyAccuracy - faulted.accuracy,
        chance: faulted.chance,
        perReplica: faulted.perReplica,
        adaptation,
        recovered: recoveredAt !== undefined,
        samplesToRecover: recoveredAt?.trainSamples ?? null,
      };
    } finally {
      if (!fault.stopped) await fault.stop();
    }
  }
}

export interface FaultImpactOptions extends CollectOptions {
  /** Held-out presentations under the fault. @defaultValue 15 */
  testRounds?: number;
  /** Training-set sizes, in rounds, of the retrained readouts. @defaultValue [5, 10, 20, 40] */
  adaptationRounds?: number[];
  /** Retraining recovers when its accuracy is within this of the healthy accuracy. @defaultValue 0.05 */
  tolerance?: number;
  readout?: ReadoutOptions;
}

export interface FaultImpact {
  faultId: string;
  healthyAccuracy: number;
  /** The healthy column's readout, scored under the fault. */
  faultedAccuracy: number;
  accuracyLoss: number;
  chance: number;
  perReplica: number[];
  /** Readouts retrained on the faulted column, by training-set size. */
  adaptation: { trainSamples: number; accuracy: number; perReplica: number[] }[];
  recovered: boolean;
  /** Smallest retraining set that brought the accuracy back within tolerance; null if none did. */
  samplesToRecover: number | null;
}

export function scoreOf(readout: LinearReadout, trainSamples: number, test: TaskSamples): TaskScore {
  return { accuracy: readout.accuracy(test), chance: chanceLevel(test), trainSamples, testSamples: test.features.length, perReplica: readout.accuracyByReplica(test).map((r) => r.accuracy) };
}
