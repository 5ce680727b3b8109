import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checksumWords } from '../../src/defences/block-checksum.js';
import { WeightScrubber, type ScrubFinding, type ScrubOptions } from '../../src/defences/weight-scrubber.js';
import { StreamRng } from '../../src/util/rng.js';

/**
 * The scrubber as it was before it compared blocks with the golden copy:
 * a Murmur3 checksum per golden block, each live block hashed and compared
 * (block-checksum.ts). The comparison must detect, repair, count and report
 * exactly what this did.
 */
class ChecksumScrubber {
  readonly blockSize: number;
  readonly everySteps: number;
  readonly blocksPerPass: number;
  readonly blocks: number;
  private readonly golden: Uint32Array;
  private readonly sums: Uint32Array;
  private cursor = 0;
  private lastPassStep = 0;
  readonly stats = { blocksDetected: 0, synapsesRepaired: 0, blocksChecked: 0 };

  constructor(readonly bits: Uint32Array, options: ScrubOptions) {
    this.blockSize = options.blockSize ?? 4096;
    this.everySteps = options.everySteps ?? 100;
    this.blocks = Math.ceil(bits.length / this.blockSize);
    this.blocksPerPass = options.blocksPerPass ?? Math.max(1, this.blocks);
    this.golden = bits.slice();
    this.sums = new Uint32Array(this.blocks);
    for (let b = 0; b < this.blocks; b++) this.sums[b] = this.sum(this.golden, b);
  }

  private sum(words: Uint32Array, b: number): number {
    return checksumWords(words, b * this.blockSize, Math.min(words.length, (b + 1) * this.blockSize));
  }

  tick(step: number): ScrubFinding[] {
    if (step >= this.lastPassStep && step - this.lastPassStep < this.everySteps) return [];
    this.lastPassStep = step;
    return this.pass(step, this.blocksPerPass);
  }

  pass(step: number, count = this.blocks): ScrubFinding[] {
    if (this.blocks === 0) return [];
    const found: ScrubFinding[] = [];
    for (let k = 0; k < Math.min(count, this.blocks); k++) {
      const b = this.cursor;
      this.cursor = (this.cursor + 1) % this.blocks;
      this.stats.blocksChecked++;
      if (this.sum(this.bits, b) === this.sums[b]) continue;
      let repaired = 0;
      for (let i = b * this.blockSize; i < Math.min(this.bits.length, (b + 1) * this.blockSize); i++) {
        if (this.bits[i] !== this.golden[i]) {
          this.bits[i] = this.golden[i];
          repaired++;
        }
      }
      this.stats.blocksDetected++;
      this.stats.synapsesRepaired += repaired;
      found.push({ step, block: b, repairedSynapses: repaired });
    }
    return found;
  }
}

const NAN_BITS = 0x7fc00000;

function randomWords(length: number, seed: number): Uint32Array {
  const rng = new StreamRng(`scrub-words-${seed}`);
  // Weights-like values (many repeats, so that swaps of equal words occur) and arbitrary bits.
  return Uint32Array.from({ length }, () => (rng.uniform() < 0.3 ? 0x41200000 + Math.floor(rng.uniform() * 4) : rng.nextUint32()));
}

describe('weight scrubber: blocks compared with the golden copy', () => {
  it('finds, repairs, counts and reports what the per-block checksum scrubber did, over random corruptions, passes and rewinds', () => {
    const rng = new StreamRng('scrub-differential');
    const pick = (n: number) => Math.floor(rng.uniform() * n);
    for (let trial = 0; trial < 60; trial++) {
      const length = 1 + pick(3000);
      const options: ScrubOptions = { blockSize: 16 + pick(300), everySteps: 1 + pick(20), blocksPerPass: rng.uniform() < 0.5 ? undefined : 1 + pick(12) };
      const live = randomWords(length, trial);
      const old = live.slice();
      const scrubber = new WeightScrubber(live, options);
      const reference = new ChecksumScrubber(old, options);
      assert.equal(scrubber.blocks, reference.blocks);
      const emitted: ScrubFinding[] = [];
      scrubber.on('corruption', (f) => emitted.push(f));
      let step = 0;
      for (let round = 0; round < 40; round++) {
        for (let c = pick(4); c > 0; c--) {
          const i = pick(length);
          const j = pick(length);
          const kind = pick(5);
          const set = (k: number, v: number) => {
            live[k] = v;
            old[k] = v;
          };
          if (kind === 0) set(i, live[i] ^ (1 << pick(32)));
          else if (kind === 1) set(i, NAN_BITS);
          else if (kind === 2) {
            const a = live[i];
            set(i, live[j]);
            set(j, a);
          } else if (kind === 3) set(i, 0);
          else set(i, live[i]); // a write of the same bits: no corruption
        }
        step = rng.uniform() < 0.1 ? pick(step + 1) : step + pick(2 * (options.everySteps ?? 100));
        const before = emitted.length;
        const found = scrubber.tick(step);
        assert.deepEqual(found, reference.tick(step), `trial ${trial} round ${round}`);
        assert.deepEqual(emitted.slice(before), found, 'every finding is emitted, in order');
      }
      assert.deepEqual(scrubber.pass(step + 1), reference.pass(step + 1), 'a full pass');
      const { wallMs, ...counts } = scrubber.stats;
      assert.deepEqual(counts, reference.stats);
      assert.ok(wallMs >= 0);
      assert.deepEqual(live, old, 'the same words repaired');
    }
  });

  it('detects a changed word at every position of a block, the short tail block included', () => {
    const live = randomWords(100, 3); // blocks of 16: six whole and a tail of 4
    const pristine = live.slice();
    const s = new WeightScrubber(live, { blockSize: 16 });
    for (let i = 0; i < live.length; i++) {
      for (const bit of [0, 22, 31]) {
        live[i] ^= 1 << bit;
        assert.deepEqual(s.pass(i), [{ step: i, block: Math.floor(i / 16), repairedSynapses: 1 }], `word ${i} bit ${bit}`);
      }
    }
    assert.deepEqual(live, pristine);
    assert.equal(s.stats.blocksChecked, 7 * 3 * 100);
  });

  it('detects a NaN, and a swap of two different words within a block and across blocks; a swap of equal words changes nothing', () => {
    const live = Uint32Array.from({ length: 64 }, (_, i) => 0x3f800000 + (i % 8));
    const pristine = live.slice();
    const s = new WeightScrubber(live, { blockSize: 16 });
    new Float32Array(live.buffer)[20] = Number.NaN;
    assert.deepEqual(s.pass(1), [{ step: 1, block: 1, repairedSynapses: 1 }]);
    const swap = (i: number, j: number) => ([live[i], live[j]] = [live[j], live[i]]);
    swap(33, 34); // neighbours in one block
    assert.deepEqual(s.pass(2), [{ step: 2, block: 2, repairedSynapses: 2 }]);
    swap(1, 5); // four apart: a SIMD hash's lane
    assert.deepEqual(s.pass(3), [{ step: 3, block: 0, repairedSynapses: 2 }]);
    swap(3, 60); // across blocks
    assert.deepEqual(s.pass(4), [{ step: 4, block: 0, repairedSynapses: 1 }, { step: 4, block: 3, repairedSynapses: 1 }]);
    swap(2, 10); // equal words (i % 8 alike): the block is unchanged
    assert.deepEqual(s.pass(5), []);
    assert.deepEqual(live, pristine);
  });

  it('round robin over part of the blocks wraps around, reporting blocks in the order checked', () => {
    const live = randomWords(160, 5); // 10 blocks of 16
    const s = new WeightScrubber(live, { blockSize: 16, blocksPerPass: 4, everySteps: 1 });
    assert.deepEqual(s.tick(1), [], 'blocks 0-3');
    live[9 * 16 + 15] ^= 1;
    live[16] ^= 1 << 31;
    live[17] = NAN_BITS;
    assert.deepEqual(s.tick(2), [], 'blocks 4-7');
    assert.deepEqual(s.tick(3), [{ step: 3, block: 9, repairedSynapses: 1 }, { step: 3, block: 1, repairedSynapses: 2 }], 'blocks 8, 9, 0, 1');
    assert.deepEqual(s.stats, { ...s.stats, blocksChecked: 12, blocksDetected: 2, synapsesRepaired: 3 });
    assert.deepEqual(s.pass(4, 25), [], 'a pass longer than the blocks checks each once');
    assert.equal(s.stats.blocksChecked, 22);
  });

  it('a fractional pass count checks as many blocks as the checksum scrubber did (ceil); NaN and <= 0 check none', () => {
    for (const count of [2.5, 0.2, 0, -3, Number.NaN, Number.POSITIVE_INFINITY]) {
      const live = randomWords(170, 6); // 11 blocks of 16, the last of 10
      const old = new ChecksumScrubber(live.slice(), { blockSize: 16 });
      const s = new WeightScrubber(live, { blockSize: 16 });
      const oldLive = old.bits;
      for (const at of [2 * 16 + 3, 3 * 16]) {
        live[at] ^= 4;
        oldLive[at] ^= 4;
      }
      for (let p = 0; p < 3; p++) assert.deepEqual(s.pass(p, count), old.pass(p, count), `count ${count}, pass ${p}`);
      assert.deepEqual(s.stats.blocksChecked, old.stats.blocksChecked, `count ${count}`);
      assert.deepEqual(live, oldLive, `count ${count}`);
    }
  });

  it('refuses to pass over weights whose buffer was detached (it would read them as empty, so clean)', () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    const live = new Uint32Array(memory.buffer, 0, 100);
    live.set(randomWords(100, 7));
    const s = new WeightScrubber(live, { blockSize: 16 });
    assert.deepEqual(s.pass(0), []);
    memory.grow(1);
    assert.throws(() => s.pass(1), /detached/);
  });
});

describe('weight scrubber over the buffers backends keep weights in', () => {
  const kinds: [string, (bytes: number) => ArrayBufferLike][] = [
    ['ArrayBuffer', (bytes) => new ArrayBuffer(bytes)],
    ['SharedArrayBuffer (workers)', (bytes) => new SharedArrayBuffer(bytes)],
    ['WebAssembly.Memory (cpu)', (bytes) => new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) }).buffer],
    ['shared WebAssembly.Memory (workers shards)', (bytes) => new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536), maximum: Math.ceil(bytes / 65536), shared: true }).buffer],
  ];
  for (const [name, make] of kinds) {
    it(`${name}: checks only its view of the buffer, repairs in place`, () => {
      const buffer = make(4 * 5000);
      const all = new Uint32Array(buffer, 0, 5000);
      all.set(randomWords(5000, 11));
      const live = new Uint32Array(buffer, 4 * 1000, 3000); // the weights from word 1000 on, as a layout places them
      const pristine = all.slice();
      const s = new WeightScrubber(live, { blockSize: 256 });
      all[999] ^= 1; // before the view
      all[4000] ^= 1; // after it
      assert.deepEqual(s.pass(1), [], 'words outside the weights are not the scrubber\'s');
      all[1000] ^= 1 << 31; // the view's first word: block 0
      all[3999] = NAN_BITS; // its last: the tail block 11 (3000 = 11 * 256 + 184)
      assert.deepEqual(s.pass(2), [{ step: 2, block: 0, repairedSynapses: 1 }, { step: 2, block: 11, repairedSynapses: 1 }]);
      assert.equal(all[1000], pristine[1000]);
      assert.equal(all[3999], pristine[3999]);
      assert.equal(s.bytes, 4 * 3000);
    });
  }
});
