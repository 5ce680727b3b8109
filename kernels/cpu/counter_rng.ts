/**
 * Counter-based uniform generator keyed by (seed, noise stream, neuron, step, stream).
 *
 * A draw depends only on its key, never on how many draws came before, so a
 * neuron's Poisson drive is the same whether it is simulated alone, in a
 * shard of a worker pool, or on a GPU. Construction: murmur3's fmix32
 * finaliser applied in a chain over the key words (each word is xored in and
 * mixed), which avalanches every input bit; two final rounds over the neuron
 * index decorrelate neighbouring neurons. Not cryptographic; see the
 * uniformity and independence tests in test/kernels/cpu/counter_rng.test.ts.
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Key for one (seed, noise stream, step, drive stream): computed once per step and replica.
 * `noiseStream` is the replica's entry in the replica-to-noise-stream map
 * (src/backends/noise-streams.ts; the replica index by default): replicas
 * given the same noise stream draw the same bits. `stream` tells apart the
 * drives of one replica (one per population and drive).
 */
export function stepKey(seed: number, noiseStream: number, step: number, stream: number): number {
  let h = fmix32(seed ^ 0x6a09e667);
  h = fmix32(h ^ Math.imul(noiseStream + 1, 0x9e3779b9));
  h = fmix32(h ^ (step >>> 0));
  // Steps beyond 2^32 would wrap; 2^32 steps at dt = 0.1 ms is 5 simulated days.
  h = fmix32(h ^ Math.imul(stream + 1, 0x85ebca77));
  return h;
}

/** 32 random bits for one neuron under a step key. */
export function bitsAt(key: number, neuron: number): number {
  return fmix32(fmix32(key ^ Math.imul(neuron + 1, 0xcc9e2d51)) ^ 0x1b873593);
}

/** Further bits for the same neuron and step (samplers that need several draws); sub >= 1. */
export function bitsAtSub(key: number, neuron: number, sub: number): number {
  return fmix32(fmix32(key ^ Math.imul(neuron + 1, 0xcc9e2d51)) ^ Math.imul(sub + 1, 0x1b873593));
}

/** Uniform in (0, 1) for one neuron under a step key. */
export function uniformAt(key: number, neuron: number): number {
  return (bitsAt(key, neuron) + 0.5) * 2.3283064365386963e-10;
}
