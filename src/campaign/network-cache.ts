import { buildNetwork, type BuildOptions } from '../model/builder.js';
import { lendNetwork } from '../model/lent-network.js';
import { connectivityBytes, type Network } from '../model/network.js';
import type { NetworkSpec } from '../model/spec.js';
import { contentHash } from './canonical-json.js';

/** Connectivity bytes a cache holds at most (its networks, not the copies it hands out): beyond it a network is built, not kept. */
const MAX_CACHED_BYTES = 1 << 30;

/**
 * The networks a pool process built last, kept, so that a job gets one lent
 * (lendNetwork: its connectivity shared, read-only) instead of building it
 * again; a backend that may write its connectivity gets a copy of its own
 * from createBackend. Why:
 * one job builds its network up to four times (the engine's target check,
 * its treated and control runs, the reference run), and building draws every
 * synapse from its streams: on 12 short jobs (bench/campaign/short-jobs.campaign.yaml,
 * one process) their main-thread CPU fell from about 5.6 to 4.9 s with the
 * cache, and buildNetwork, a large function, had been re-optimised by V8
 * every few jobs (compiler threads that take the other core from a second
 * pool process). The jobs of one reference group
 * (run-tally.ts) share seed and model, so the pool's dispatch order makes
 * them hit.
 *
 * buildNetwork is deterministic for (spec, seed, dtMs, shared), so a copy of
 * a kept network is the network a fresh build would give, value for value:
 * results do not change (the campaign tests compare local and distributed
 * runs, and one process against two). Each call returns a network of its
 * own whose connectivity is lent: faults mutate weights only in a backend's
 * own copy (createBackend, ownedNetwork), so the kept network never changes.
 * Holds at most `capacity` networks and MAX_CACHED_BYTES of connectivity.
 */
export class NetworkCache {
  private readonly kept: { key: string; network: Network; bytes: number }[] = [];

  constructor(private readonly capacity = 2) {}

  /** buildNetwork's signature and result (a network of the caller's own, its connectivity lent when kept), from the cache when it holds it. */
  readonly build = (spec: NetworkSpec, options: BuildOptions = {}): Network => {
    const key = contentHash({ spec, seed: options.seed ?? null, dtMs: options.dtMs ?? null, shared: options.shared ?? null });
    const at = this.kept.findIndex((k) => k.key === key);
    if (at >= 0) {
      const [hit] = this.kept.splice(at, 1);
      this.kept.unshift(hit);
      return lendNetwork(hit.network);
    }
    const network = buildNetwork(spec, options);
    const bytes = connectivityBytes(network);
    if (bytes > MAX_CACHED_BYTES) return network;
    this.kept.unshift({ key, network, bytes });
    // The oldest go first: past the capacity, or past the byte budget.
    let total = 0;
    const over = this.kept.findIndex((k, i) => i >= this.capacity || (total += k.bytes) > MAX_CACHED_BYTES);
    if (over >= 0) this.kept.length = over;
    return lendNetwork(network);
  };
}
