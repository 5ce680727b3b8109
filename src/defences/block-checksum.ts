import { fmix32 } from '../../kernels/cpu/counter_rng.js';

/**
 * Murmur3 (32-bit) over a run of 32-bit words: every word is mixed in
 * bijectively, so any change to a block (a flipped bit, a NaN, a swap of two
 * different words) changes its checksum except with probability 2^-32.
 *
 * The weight scrubber's block check until it compared blocks with its golden
 * copy (weight-scrubber.ts says why); kept as the reference the comparison is
 * tested against (test/defences/weight-scrubber-compare.test.ts) and measured
 * beside (bench/kernel-bench.ts).
 */
export function checksumWords(words: Uint32Array, from: number, to: number, seed = 0x9747b28c): number {
  let h = seed | 0;
  for (let i = from; i < to; i++) {
    let k = Math.imul(words[i], 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  return fmix32(h ^ ((to - from) * 4));
}
