import { Buffer } from 'node:buffer';
import { EventEmitter } from 'node:events';
import { check } from '../util/errors.js';

export interface ScrubOptions {
  /** @defaultValue true (in experiments; backends take a scrubber only when given one) */
  enabled?: boolean;
  /** Synapses per checked block (the unit of findings and repairs). @defaultValue 4096 */
  blockSize?: number;
  /** Simulated steps between scrub passes. @defaultValue 100 */
  everySteps?: number;
  /** Blocks re-checked per pass (round robin). @defaultValue all blocks */
  blocksPerPass?: number;
}

export interface ScrubFinding {
  step: number;
  block: number;
  /** Synapses whose bits differed from the golden copy, now repaired. */
  repairedSynapses: number;
}

export interface ScrubberEvents {
  corruption: [ScrubFinding];
}

/**
 * Weight integrity: a golden copy of the weights, and a scrubber that
 * re-checks a slice of blocks every `everySteps` steps, detects corrupted
 * blocks (any bit of any word that differs from the golden copy: a flipped
 * bit, a NaN, a swap of two different words) and repairs them from the
 * golden copy. Costs one extra 4-byte word per synapse of memory.
 *
 * How a block is checked: its bytes are compared with the golden copy's by
 * `Buffer.compare` (libc memcmp, vectorised), and a pass compares each run
 * of consecutive blocks in one call, going block by block only when the run
 * differs. Earlier each block was hashed (Murmur3, block-checksum.ts)
 * and the hash compared with the golden block's: a scalar loop at about
 * 1.3 ns per word, a third of a defended campaign job's CPU time; the
 * comparison costs about 0.15 ns per word when the weights are in cache and
 * 0.5 from DRAM, and misses nothing (a hash misses a corruption with
 * probability 2^-32). docs/performance.md, "Weight scrubber", has the
 * figures and the alternatives measured.
 */
export class WeightScrubber extends EventEmitter<ScrubberEvents> {
  readonly blockSize: number;
  readonly everySteps: number;
  readonly blocksPerPass: number;
  readonly blocks: number;
  private readonly golden: Uint32Array;
  /** Byte views of the live weights and of the golden copy, for memcmp. */
  private readonly liveBytes: Buffer;
  private readonly goldenBytes: Buffer;
  private cursor = 0;
  private lastPassStep = 0;
  /** Blocks found corrupted, synapses repaired, block checks made, wall ms spent. */
  readonly stats = { blocksDetected: 0, synapsesRepaired: 0, blocksChecked: 0, wallMs: 0 };

  /**
   * @param bits the live weights' bits (any buffer: plain, shared, a wasm memory's, never detached while the scrubber lives); repairs write here
   * @throws InputError for a blockSize outside [16, 2^24], everySteps outside [1, 1e9], blocksPerPass < 1
   */
  constructor(private readonly bits: Uint32Array, options: ScrubOptions = {}) {
    super();
    this.blockSize = options.blockSize ?? 4096;
    this.everySteps = options.everySteps ?? 100;
    check(Number.isInteger(this.blockSize) && this.blockSize >= 16 && this.blockSize <= 1 << 24, 'scrub.blockSize', () => `must be an integer in [16, 16777216] (got ${this.blockSize})`);
    check(Number.isInteger(this.everySteps) && this.everySteps >= 1 && this.everySteps <= 1e9, 'scrub.everySteps', () => `must be an integer in [1, 1e9] (got ${this.everySteps})`);
    // A network without synapses has no block: the scrubber then checks nothing, at no cost (and the default pass is not 0 blocks).
    this.blocks = Math.ceil(bits.length / this.blockSize);
    this.blocksPerPass = options.blocksPerPass ?? Math.max(1, this.blocks);
    check(Number.isInteger(this.blocksPerPass) && this.blocksPerPass >= 1, 'scrub.blocksPerPass', () => `must be an integer >= 1 (got ${this.blocksPerPass})`);
    this.golden = bits.slice();
    this.liveBytes = Buffer.from(bits.buffer, bits.byteOffset, bits.byteLength);
    this.goldenBytes = Buffer.from(this.golden.buffer, this.golden.byteOffset, this.golden.byteLength);
  }

  /** Called by the backend between steps; runs a pass when one is due. Returns the findings of this call. */
  tick(step: number): ScrubFinding[] {
    // A step behind the last pass means the simulation was rewound (restore, supervisor replay): the schedule restarts from there.
    if (step >= this.lastPassStep && step - this.lastPassStep < this.everySteps) return [];
    this.lastPassStep = step;
    return this.pass(step, this.blocksPerPass);
  }

  /** Checks `count` blocks from the cursor on, repairing the corrupted ones. */
  pass(step: number, count = this.blocks): ScrubFinding[] {
    if (this.blocks === 0) return [];
    // A view whose buffer was detached (a non-shared wasm memory that grew) reads as empty, and memcmp of nothing is
    // "equal": say so instead of reporting every block clean. No backend grows its memory after building the scrubber.
    if (this.liveBytes.byteLength !== this.golden.byteLength) throw new Error('weight scrubber: the live weights\' buffer was detached (did a wasm memory grow?); the scrubber must be rebuilt over the new view');
    const t0 = performance.now();
    const found: ScrubFinding[] = [];
    // Round robin: at most two runs of consecutive blocks, [cursor, blocks) and then [0, rest). ceil: a fractional
    // count checks as many blocks as the block-by-block loop did (k < count); NaN or <= 0 checks none.
    for (let left = Math.ceil(Math.min(count, this.blocks)); left > 0; ) {
      const from = this.cursor;
      const to = Math.min(this.blocks, from + left);
      left -= to - from;
      this.cursor = to % this.blocks;
      this.checkRun(step, from, to, found);
    }
    this.stats.wallMs += performance.now() - t0;
    return found;
  }

  /** Blocks [from, to): one comparison for the run; block by block (in order, as findings are reported) only when it differs. */
  private checkRun(step: number, from: number, to: number, found: ScrubFinding[]): void {
    if (this.sameAsGolden(from, to)) {
      this.stats.blocksChecked += to - from;
      return;
    }
    for (let b = from; b < to; b++) {
      this.stats.blocksChecked++;
      if (this.sameAsGolden(b, b + 1)) continue;
      let repaired = 0;
      const end = Math.min(this.bits.length, (b + 1) * this.blockSize);
      for (let i = b * this.blockSize; i < end; i++) {
        if (this.bits[i] !== this.golden[i]) {
          this.bits[i] = this.golden[i];
          repaired++;
        }
      }
      this.stats.blocksDetected++;
      this.stats.synapsesRepaired += repaired;
      const f = { step, block: b, repairedSynapses: repaired };
      found.push(f);
      this.emit('corruption', f);
    }
  }

  /** Whether the live words of blocks [from, to) have the golden copy's bits. */
  private sameAsGolden(from: number, to: number): boolean {
    const start = 4 * from * this.blockSize;
    const end = 4 * Math.min(this.bits.length, to * this.blockSize);
    return this.liveBytes.compare(this.goldenBytes, start, end, start, end) === 0;
  }

  /** Bytes the golden copy holds. */
  get bytes(): number {
    return this.golden.byteLength;
  }
}
