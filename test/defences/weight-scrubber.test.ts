import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { checksumWords } from '../../src/defences/block-checksum.js';
import { WeightScrubber } from '../../src/defences/weight-scrubber.js';
import { InputError } from '../../src/util/errors.js';
import { chaosNet, digest } from '../chaos/helpers.js';

describe('weight scrubber', () => {
  it('the block checksum changes with any single flipped bit', () => {
    const words = Uint32Array.from({ length: 64 }, (_, i) => i * 2654435761);
    const base = checksumWords(words, 0, 64);
    for (let i = 0; i < 64; i += 7) {
      for (const bit of [0, 13, 23, 30, 31]) {
        words[i] ^= 1 << bit;
        assert.notEqual(checksumWords(words, 0, 64), base);
        words[i] ^= 1 << bit;
      }
    }
  });

  it('detects and repairs corrupted blocks, counting what it did', () => {
    const bits = Uint32Array.from({ length: 10_000 }, (_, i) => i);
    const s = new WeightScrubber(bits, { blockSize: 1000, everySteps: 5 });
    bits[1234] ^= 1 << 30;
    bits[1240] = 0x7fc00000;
    bits[9999] = 0;
    assert.deepEqual(s.tick(3), [], 'not due yet');
    const found = s.tick(5);
    assert.deepEqual(found.map((f) => [f.block, f.repairedSynapses]), [[1, 2], [9, 1]]);
    assert.equal(bits[1234], 1234);
    assert.equal(bits[9999], 9999);
    assert.equal(s.stats.blocksDetected, 2);
    assert.equal(s.stats.synapsesRepaired, 3);
    assert.throws(() => new WeightScrubber(bits, { blockSize: 3 }), (e: unknown) => e instanceof InputError && e.field === 'scrub.blockSize');
  });

  for (const make of [(scrub: boolean) => new ReferenceBackend(chaosNet, { scrub: scrub ? { everySteps: 20 } : undefined }), (scrub: boolean) => new WorkersBackend(chaosNet, { workers: 2, scrub: scrub ? { everySteps: 20 } : undefined })]) {
    it(`${make(false).name}: bit-flip and NaN corruption are repaired within one pass with scrubbing on, and stay with it off`, async () => {
      for (const scrub of [true, false]) {
        const sim = make(scrub);
        try {
          const pristine = digest(sim.synapses().weightsPa);
          await sim.run(30);
          const chaos = new ChaosController(sim);
          await chaos.inject({ kind: 'weight-corruption', fraction: 0.01, mode: 'bit-flip' });
          await chaos.inject({ kind: 'weight-corruption', fraction: 0.001, mode: 'nan' });
          await sim.run(20);
          assert.equal(digest(sim.synapses().weightsPa) === pristine, scrub, `scrub ${scrub}`);
          if (scrub) assert.ok(sim.scrubber!.stats.synapsesRepaired > 0);
        } finally {
          await sim.dispose();
        }
      }
    });
  }

  it('keeps scrubbing after the simulation is rewound to an earlier step (restore)', () => {
    const bits = Uint32Array.from({ length: 1000 }, (_, i) => i);
    const s = new WeightScrubber(bits, { blockSize: 100, everySteps: 10 });
    assert.equal(s.tick(500).length, 0, 'a clean pass at step 500');
    bits[7] ^= 1;
    assert.equal(s.tick(20).length, 1, 'rewound to step 20: the next due pass runs, it does not wait for step 510');
    assert.equal(bits[7], 7);
    assert.deepEqual(s.tick(25), [], 'and the interval counts from there');
  });
});
