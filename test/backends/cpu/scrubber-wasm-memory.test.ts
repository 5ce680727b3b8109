import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { cpuWasmModule } from '../../../kernels/wasm/cpu_wasm.js';
import { chaosNet, digest } from '../../chaos/helpers.js';

describe('cpu backend: the weight scrubber over the weights in the wasm memory', () => {
  it('the live weights are the wasm memory\'s copy (with wasm), and an unfaulted run spikes as without the scrubber', async () => {
    const hashes: string[] = [];
    for (const scrub of [true, false]) {
      const sim = new ReferenceBackend(chaosNet, { scrub: scrub ? { everySteps: 10, blockSize: 64 } : undefined });
      try {
        const w = sim.synapses().weightsPa;
        if (cpuWasmModule() !== null) {
          assert.notEqual(w.buffer, chaosNet.synapses.weightsPa.buffer, 'a copy');
          assert.equal(w.buffer.byteLength % 65536, 0, 'in a wasm memory (whole 64 KiB pages)');
        }
        await sim.run(100);
        if (scrub) {
          assert.equal(sim.scrubber!.stats.blocksDetected, 0);
          assert.equal(sim.scrubber!.stats.blocksChecked, 10 * sim.scrubber!.blocks);
        }
        hashes.push(sim.recorder.spikeHash());
      } finally {
        await sim.dispose();
      }
    }
    assert.equal(hashes[0], hashes[1]);
  });

  it('finds and repairs corruption written straight into the live buffer, within one pass', async () => {
    const sim = new ReferenceBackend(chaosNet, { scrub: { everySteps: 10, blockSize: 64 } });
    try {
      const w = sim.synapses().weightsPa;
      const pristine = digest(w);
      const bits = new Uint32Array(w.buffer, w.byteOffset, w.length);
      await sim.run(15);
      const findings: number[] = [];
      sim.scrubber!.on('corruption', (f) => findings.push(f.block));
      const last = w.length - 1;
      bits[3] ^= 1 << 30;
      w[70] = Number.NaN;
      [bits[130], bits[last]] = [bits[last], bits[130]];
      assert.notEqual(digest(w), pristine);
      await sim.run(10);
      const lastBlock = Math.floor(last / 64);
      const swapped = bits[130] === bits[last] ? [] : [2, lastBlock]; // a swap of equal weights changes nothing
      assert.deepEqual(findings, [0, 1, ...swapped]);
      assert.equal(sim.scrubber!.stats.synapsesRepaired, 2 + swapped.length);
      assert.equal(digest(w), pristine);
    } finally {
      await sim.dispose();
    }
  });
});
