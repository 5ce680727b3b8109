import { StreamRng } from '../util/rng.js';

/** Percentile bootstrap 95% interval of the mean of `xs` (seeded, so a run replays exactly). */
export function bootstrapMeanCi95(xs: number[], seedKey: string, resamples = 2000): [number, number] {
  if (xs.length === 0) return [0, 0];
  const rng = new StreamRng(seedKey);
  const means = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[rng.below(xs.length)];
    means[r] = s / xs.length;
  }
  means.sort();
  return [means[Math.floor(0.025 * resamples)], means[Math.min(resamples - 1, Math.ceil(0.975 * resamples) - 1)]];
}
