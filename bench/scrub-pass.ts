/**
 * ns per word of one full weight-scrubber pass with nothing to repair: the
 * scrubber's earlier check (a Murmur3 checksum per block against the golden
 * block's, src/defences/block-checksum.ts) beside the current one
 * (WeightScrubber.pass: the live bytes compared with the golden copy's).
 * The weights sit in a WebAssembly.Memory, as the cpu backend's do.
 *
 * node dist/bench/scrub-pass.js [words, default 1048576] [blockSize, default 4096]
 * (docs/performance.md, "Weight scrubber"; a few seconds per size)
 */
import { checksumWords } from '../src/defences/block-checksum.js';
import { WeightScrubber } from '../src/defences/weight-scrubber.js';
import { StreamRng } from '../src/util/rng.js';

const words = Number(process.argv[2] ?? 2 ** 20);
const blockSize = Number(process.argv[3] ?? 4096);
const memory = new WebAssembly.Memory({ initial: Math.ceil((4 * words) / 65536) });
const live = new Uint32Array(memory.buffer, 0, words);
const rng = new StreamRng('scrub-pass-bench');
for (let i = 0; i < words; i++) live[i] = rng.nextUint32();
const blocks = Math.ceil(words / blockSize);
const sumOf = (b: number) => checksumWords(live, b * blockSize, Math.min(words, (b + 1) * blockSize));
const sums = Uint32Array.from({ length: blocks }, (_, b) => sumOf(b));
const scrubber = new WeightScrubber(live, { blockSize });
const cases: [string, () => number][] = [
  ['Murmur3 per block (before)', () => {
    let corrupted = 0;
    for (let b = 0; b < blocks; b++) if (sumOf(b) !== sums[b]) corrupted++;
    return corrupted;
  }],
  ['compare with golden (now)', () => scrubber.pass(0).length],
];
for (const [name, pass] of cases) {
  // About a second each: passes sized to the slower check's 1.4 ns per word.
  const reps = Math.max(3, Math.round(7e8 / words));
  for (let w = 0; w < 3; w++) pass();
  const t0 = performance.now();
  for (let r = 0; r < reps; r++) if (pass() !== 0) throw new Error('nothing should differ');
  const ms = performance.now() - t0;
  console.log(`${words} words, blocks of ${blockSize}: ${name.padEnd(27)} ${((ms * 1e6) / (reps * words)).toFixed(3)} ns/word, ${(ms / reps).toFixed(3)} ms/pass`);
}
