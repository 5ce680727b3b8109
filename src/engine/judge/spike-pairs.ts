/**
 * Index of the first (step, neuron) pair at or after `step` in `pairs`
 * (pairs in ascending step order, as a recorder's toPairs gives them): a
 * binary search, so a metric reading one span of a long train skips the
 * rest. Returns the pair index (its step is at `2 * index`); pairs.length / 2
 * when every pair is earlier.
 */
export function firstPairAtOrAfter(pairs: Int32Array, step: number): number {
  let lo = 0;
  let hi = pairs.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (pairs[2 * mid] < step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
