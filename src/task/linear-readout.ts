import { CholeskyDecomposition, Matrix, MatrixTransposeView } from 'ml-matrix';
import { check } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import type { TaskSamples } from './collect-samples.js';

export interface ReadoutOptions {
  /** Ridge strengths tried, as multiples of the feature count (features are standardised, so that is the trace scale). @defaultValue [1e-3, 1e-2, 0.1, 1, 10] */
  lambdas?: number[];
  /** Folds of the cross-validation that picks the ridge strength (fewer samples than 2 x folds: the middle strength). @defaultValue 3 */
  folds?: number;
  /** Seeds the fold assignment. @defaultValue 1 */
  seed?: number;
}

const DEFAULT_LAMBDAS = [1e-3, 1e-2, 0.1, 1, 10];

/**
 * A linear readout of the column's spike counts: ridge regression onto
 * one-hot class targets (standardised features, intercept), the class with
 * the largest output wins. Solved with ml-matrix's Cholesky decomposition, in
 * the dual (n x n) when there are fewer samples than features, so the cost
 * follows the smaller of the two.
 */
export class LinearReadout {
  private constructor(
    readonly classes: number,
    private readonly mean: Float64Array,
    private readonly scale: Float64Array,
    weights: Matrix,
    private readonly intercept: Float64Array,
    /** Ridge strength chosen (absolute, on standardised features). */
    readonly lambda: number,
  ) {
    // Flat [feature][class]: predict runs once per sample in the cross-validation.
    this.weights = Float64Array.from(weights.to1DArray());
  }

  private readonly weights: Float64Array;

  static fit(samples: TaskSamples, options: ReadoutOptions = {}): LinearReadout {
    const n = samples.features.length;
    check(n >= 2, 'samples', () => `a readout needs at least 2 training samples (got ${n})`);
    const d = samples.features[0].length;
    const lambdas = (options.lambdas ?? DEFAULT_LAMBDAS).map((r) => r * Math.max(1, d));
    lambdas.forEach((l, i) => check(Number.isFinite(l) && l > 0, `lambdas[${i}]`, () => `must be a number > 0 (got ${options.lambdas?.[i]})`));
    const folds = options.folds ?? 3;
    check(Number.isInteger(folds) && folds >= 2 && folds <= 20, 'folds', () => `must be an integer in [2, 20] (got ${folds})`);
    let lambda = lambdas[Math.floor(lambdas.length / 2)];
    if (lambdas.length > 1 && n >= 2 * folds) {
      const fold = foldOf(n, folds, options.seed ?? 1);
      let best = -1;
      for (const l of lambdas) {
        let correct = 0;
        for (let f = 0; f < folds; f++) {
          const trainIdx: number[] = [];
          const testIdx: number[] = [];
          for (let i = 0; i < n; i++) (fold[i] === f ? testIdx : trainIdx).push(i);
          const r = LinearReadout.solve(pick(samples, trainIdx), l);
          for (const i of testIdx) if (r.predict(samples.features[i]) === samples.labels[i]) correct++;
        }
        if (correct > best) {
          best = correct;
          lambda = l;
        }
      }
    }
    return LinearReadout.solve(samples, lambda);
  }

  private static solve(s: TaskSamples, lambda: number): LinearReadout {
    const n = s.features.length;
    const d = s.features[0].length;
    const mean = new Float64Array(d);
    const scale = new Float64Array(d);
    for (const row of s.features) for (let k = 0; k < d; k++) mean[k] += row[k] / n;
    for (const row of s.features) for (let k = 0; k < d; k++) scale[k] += (row[k] - mean[k]) ** 2 / n;
    // A silent feature carries nothing: scale 1 keeps it at zero instead of dividing by zero.
    for (let k = 0; k < d; k++) scale[k] = scale[k] > 1e-12 ? Math.sqrt(scale[k]) : 1;
    const x = new Matrix(n, d);
    s.features.forEach((row, i) => {
      for (let k = 0; k < d; k++) x.set(i, k, (row[k] - mean[k]) / scale[k]);
    });
    const intercept = new Float64Array(s.classes);
    for (const y of s.labels) intercept[y] += 1 / n;
    const y = new Matrix(n, s.classes);
    s.labels.forEach((label, i) => {
      for (let c = 0; c < s.classes; c++) y.set(i, c, (label === c ? 1 : 0) - intercept[c]);
    });
    // xT reads x transposed in place: the same values in the same order as x.transpose() (so the same
    // sums, bit for bit), without a copy of one typed array per column (a cross-validation solves 16
    // times per fit, and those copies were most of a campaign job's short-lived allocation).
    const xT = new MatrixTransposeView(x);
    let weights: Matrix;
    if (n < d) {
      const gram = x.mmul(xT);
      for (let i = 0; i < n; i++) gram.set(i, i, gram.get(i, i) + lambda);
      weights = xT.mmul(new CholeskyDecomposition(gram).solve(y));
    } else {
      const gram = xT.mmul(x);
      for (let k = 0; k < d; k++) gram.set(k, k, gram.get(k, k) + lambda);
      weights = new CholeskyDecomposition(gram).solve(xT.mmul(y));
    }
    return new LinearReadout(s.classes, mean, scale, weights, intercept, lambda);
  }

  /** The class the readout assigns to one feature row. */
  predict(features: Float64Array): number {
    const d = this.mean.length;
    check(features.length === d, 'features', () => `must have ${d} entries, the readout's features (got ${features.length})`);
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < this.classes; c++) {
      let score = this.intercept[c];
      for (let k = 0; k < d; k++) score += ((features[k] - this.mean[k]) / this.scale[k]) * this.weights[k * this.classes + c];
      if (score > bestScore) {
        bestScore = score;
        best = c;
      }
    }
    return best;
  }

  /** Share of samples classified correctly. */
  accuracy(samples: TaskSamples): number {
    if (samples.features.length === 0) return NaN;
    let correct = 0;
    samples.features.forEach((row, i) => {
      if (this.predict(row) === samples.labels[i]) correct++;
    });
    return correct / samples.features.length;
  }

  /** Accuracy per replica (each replica is an independent trial), replicas ascending. */
  accuracyByReplica(samples: TaskSamples): { replica: number; accuracy: number; samples: number }[] {
    const by = new Map<number, { correct: number; total: number }>();
    samples.features.forEach((row, i) => {
      const b = samples.replicas[i];
      const e = by.get(b) ?? { correct: 0, total: 0 };
      e.total++;
      if (this.predict(row) === samples.labels[i]) e.correct++;
      by.set(b, e);
    });
    return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([replica, e]) => ({ replica, accuracy: e.correct / e.total, samples: e.total }));
  }
}

/** Chance level of a sample set: the share of its most frequent class (1 / classes when balanced). */
export function chanceLevel(samples: TaskSamples): number {
  if (samples.labels.length === 0) return 1 / samples.classes;
  const freq = new Array<number>(samples.classes).fill(0);
  for (const y of samples.labels) freq[y]++;
  return Math.max(...freq) / samples.labels.length;
}

function pick(s: TaskSamples, idx: number[]): TaskSamples {
  return { classes: s.classes, features: idx.map((i) => s.features[i]), labels: idx.map((i) => s.labels[i]), replicas: idx.map((i) => s.replicas[i]), rounds: idx.map((i) => s.rounds[i]) };
}

function foldOf(n: number, folds: number, seed: number): Int32Array {
  const order = Array.from({ length: n }, (_, i) => i);
  const rng = new StreamRng(`${seed}:readout:folds`);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const fold = new Int32Array(n);
  order.forEach((i, k) => (fold[i] = k % folds));
  return fold;
}
