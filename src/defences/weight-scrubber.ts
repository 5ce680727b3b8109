import { EventEmitter } from 'node:events';
import { check } from '../util/errors.js';
import { checksumWords } from './block-checksum.js';

export interface ScrubOptions {
  /** @defaultValue true (in experiments; backends take a scrubber only when given one) */
  enabled?: boolean;
  /** Synapses per checksummed block. @defaultValue 4096 */
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
 * Weight integrity: a golden copy of the weights with a checksum per block,
 * and a scrubber that re-checks a slice of blocks every `everySteps` steps,
 * detects corrupted blocks and repairs them from the golden copy. Costs one
 * extra 4-byte word per synapse of memory.
 */
export class WeightScrubber extends EventEmitter<ScrubberEvents> {
  readonly blockSize: number;
  readonly everySteps: number;
  readonly blocksPerPass: number;
  readonly blocks: number;
  private readonly golden: Uint32Array;
  private readonly sums: Uint32Array;
  private cursor = 0;
  private lastPassStep = 0;
  /** Blocks found corrupted, synapses repaired, block checks made, wall ms spent. */
  readonly stats = { blocksDetected: 0, synapsesRepaired: 0, blocksChecked: 0, wallMs: 0 };

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
    this.sums = new Uint32Array(this.blocks);
    for (let b = 0; b < this.blocks; b++) this.sums[b] = this.blockSum(this.golden, b);
  }

  private blockSum(words: Uint32Array, b: number): number {
    return checksumWords(words, b * this.blockSize, Math.min(words.length, (b + 1) * this.blockSize));
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
    const t0 = performance.now();
    const found: ScrubFinding[] = [];
    for (let k = 0; k < Math.min(count, this.blocks); k++) {
      const b = this.cursor;
      this.cursor = (this.cursor + 1) % this.blocks;
      this.stats.blocksChecked++;
      if (this.blockSum(this.bits, b) === this.sums[b]) continue;
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
    this.stats.wallMs += performance.now() - t0;
    return found;
  }

  /** Bytes the golden copy and checksums hold. */
  get bytes(): number {
    return this.golden.byteLength + this.sums.byteLength;
  }
}
