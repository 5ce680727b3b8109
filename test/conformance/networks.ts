import { buildNetwork } from '../../src/model/builder.js';
import type { Network } from '../../src/model/network.js';
import { smallNetworkSpec } from '../helpers/networks.js';

/**
 * The tiny network: 100 LIF neurons (80 E, 20 I), fixed in-degree 40 + 10,
 * Poisson drive, constant delays (1.5 ms E, 0.8 ms I). Every population
 * fires (about 90 Hz), so a wrong update, delivery or drive shows within a
 * few steps. Constant delays keep the tfjs gather table narrow (two delay
 * slabs), which keeps the pure-JS tfjs backend fast enough for `npm test`.
 */
export function tinyNetwork(size = 100): Network {
  const spec = smallNetworkSpec(size);
  for (const p of spec.projections) p.delayMs = { kind: 'constant', value: p.source === 'E' ? 1.5 : 0.8 };
  return buildNetwork(spec, { seed: 3 });
}

/** The rate network: the same model at a given size (the heavy case makes it larger). */
export const rateNetwork = tinyNetwork;
