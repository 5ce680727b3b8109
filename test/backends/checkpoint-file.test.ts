import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCheckpointFile, writeCheckpointFile } from '../../src/backends/checkpoint-file.js';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { InputError } from '../../src/util/errors.js';
import { smallNetworkSpec } from '../helpers/networks.js';
import { tempDir } from '../helpers/temp-dir.js';

const dir = tempDir('neurochaos-cp-');
const net = buildNetwork(smallNetworkSpec(), { seed: 9 });

describe('checkpoint files', () => {
  it('0 -> T equals 0 -> T/2, checkpoint to a file, restore, T/2 -> T (across backends)', async () => {
    const whole = new ReferenceBackend(net, { warmupMs: 50 });
    await whole.run(2000);

    const first = new ReferenceBackend(net, { warmupMs: 50 });
    await first.run(1000);
    const file = join(dir, 'half.nchk');
    writeCheckpointFile(file, first.checkpoint());

    const second = new ReferenceBackend(net);
    second.restore(readCheckpointFile(file));
    assert.equal(second.currentStep, 1000);
    await second.run(1000);
    assert.equal(second.recorder.spikeHash(), whole.recorder.spikeHash());
    assert.deepEqual(second.recorder.populationRatesHz(net, 150), whole.recorder.populationRatesHz(net, 150));
    assert.equal(second.metrics().synapticEvents, whole.metrics().synapticEvents);

    const onWorkers = new WorkersBackend(net, { workers: 2 });
    try {
      onWorkers.restore(readCheckpointFile(file));
      await onWorkers.run(1000);
      assert.equal(onWorkers.recorder.spikeHash(), whole.recorder.spikeHash());
    } finally {
      await onWorkers.dispose();
    }
  });

  it('writes atomically: no temporary file is left, an existing checkpoint is replaced whole', async () => {
    const sim = new ReferenceBackend(net);
    sim.advance(10);
    const file = join(dir, 'atomic.nchk');
    writeCheckpointFile(file, sim.checkpoint());
    sim.advance(10);
    writeCheckpointFile(file, sim.checkpoint());
    assert.equal(readCheckpointFile(file).step, 20);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  });

  it('refuses a truncated, a corrupted, a foreign and a mismatched checkpoint with a clear error', () => {
    const sim = new ReferenceBackend(net);
    sim.advance(100);
    const file = join(dir, 'good.nchk');
    writeCheckpointFile(file, sim.checkpoint());
    const bytes = readFileSync(file);

    const truncated = join(dir, 'truncated.nchk');
    writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
    assert.throws(() => readCheckpointFile(truncated), (e: unknown) => e instanceof InputError && /truncated/.test(e.message));

    const corrupted = join(dir, 'corrupted.nchk');
    const flipped = Buffer.from(bytes);
    flipped[flipped.length - 5000] ^= 0x10;
    writeFileSync(corrupted, flipped);
    assert.throws(() => readCheckpointFile(corrupted), (e: unknown) => e instanceof InputError && /corrupted \(checksum mismatch\)/.test(e.message));

    const foreign = join(dir, 'foreign.nchk');
    writeFileSync(foreign, 'hello world, not a checkpoint at all, but long enough to have a trailer');
    assert.throws(() => readCheckpointFile(foreign), /not a neurochaos checkpoint/);

    assert.throws(() => readCheckpointFile(join(dir, 'missing.nchk')), /cannot read checkpoint.*ENOENT/);

    const other = new ReferenceBackend(buildNetwork(smallNetworkSpec(), { seed: 10 }));
    assert.throws(() => other.restore(readCheckpointFile(file)), /different network: buildSeed is 9 there, 10 here/);
    const batch2 = new ReferenceBackend(net, { batch: 2 });
    assert.throws(() => batch2.restore(readCheckpointFile(file)), /holds batch 1, this simulation has batch 2/);
  });
});
