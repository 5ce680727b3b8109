import type { PopulationInfo } from './network.js';
import { NEURONS_PER_YIELD } from './projection-sampler.js';

/**
 * Sorts, in every row of `source`'s neurons, the synapses into `target` by
 * target index (stable, weights and delays carried along). Needed only when a
 * model declares several projections between the same two populations.
 * A generator: it yields every NEURONS_PER_YIELD sources (networkBuildSteps).
 */
export function* mergeRunsByTarget(
  source: PopulationInfo,
  target: PopulationInfo,
  rowPtr: Uint32Array,
  targets: Uint32Array,
  weights: Float32Array,
  delays: Uint8Array,
): Generator<void, void, void> {
  const lo = target.start;
  const hi = target.start + target.size;
  for (let s = source.start; s < source.start + source.size; s++) {
    let a = rowPtr[s];
    const end = rowPtr[s + 1];
    while (a < end && targets[a] < lo) a++;
    let b = a;
    while (b < end && targets[b] < hi && targets[b] >= lo) b++;
    // Runs of one population are adjacent in row order; find the extent of all of them.
    let c = b;
    for (let k = b; k < end; k++) if (targets[k] >= lo && targets[k] < hi) c = k + 1;
    // A turn for the event loop every NEURONS_PER_YIELD sources (buildNetworkAsync).
    if ((s - source.start) % NEURONS_PER_YIELD === NEURONS_PER_YIELD - 1) yield;
    if (c - a < 2) continue;
    const idx = Array.from({ length: c - a }, (_, k) => a + k);
    idx.sort((x, y) => targets[x] - targets[y] || x - y);
    const t2 = idx.map((k) => targets[k]);
    const w2 = idx.map((k) => weights[k]);
    const d2 = idx.map((k) => delays[k]);
    for (let k = 0; k < idx.length; k++) {
      targets[a + k] = t2[k];
      weights[a + k] = w2[k];
      delays[a + k] = d2[k];
    }
  }
}
