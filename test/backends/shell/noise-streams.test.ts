import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readCheckpointFile, writeCheckpointFile } from '../../../src/backends/checkpoint-file.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { InputError } from '../../../src/util/errors.js';
import { tinyNetwork } from '../../conformance/networks.js';
import { SHELL_BACKENDS } from './shell-backends.js';

const net = tinyNetwork();
const STEPS = 100;
/** spikeHash of tinyNetwork(), batch 3, 100 steps, from before the noise-stream map existed (replica b drew stream b). */
const HASH_BEFORE_THE_MAP = '852a31b9c3c1857e';
const dir = mkdtempSync(join(tmpdir(), 'nc-noise-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('replica-to-noise-stream map', () => {
  for (const entry of SHELL_BACKENDS) {
    it(`${entry.name}: the identity map gives the hashes of before; replicas sharing a stream share drive and initial state`, { skip: entry.skip }, async () => {
      const plain = await entry.create(net, { batch: 3 });
      const identity = await entry.create(net, { batch: 3, noiseStreams: [0, 1, 2] });
      const paired = await entry.create(net, { batch: 3, noiseStreams: [2, 2, 0] });
      try {
        assert.deepEqual(plain.noiseStreams(), [0, 1, 2]);
        assert.deepEqual(paired.noiseStreams(), [2, 2, 0]);
        const n = net.neuronCount;
        const v0 = paired.buffer('membraneMv');
        const plainV0 = plain.buffer('membraneMv');
        // Initial potentials follow the stream.
        assert.deepEqual(v0.subarray(0, n), v0.subarray(n, 2 * n));
        assert.deepEqual(v0.subarray(0, n), plainV0.subarray(2 * n, 3 * n));
        assert.deepEqual(v0.subarray(2 * n), plainV0.subarray(0, n));
        for (const b of [plain, identity, paired]) await b.run(STEPS);
        assert.equal(plain.recorder.spikeHash(), HASH_BEFORE_THE_MAP);
        assert.equal(identity.recorder.spikeHash(), HASH_BEFORE_THE_MAP);
        const r = (b: typeof plain, k: number) => b.recorder.replicaHash(k);
        assert.equal(r(paired, 0), r(paired, 1), 'two replicas on one stream: the same spikes');
        assert.equal(r(paired, 0), r(plain, 2), 'stream 2 is what replica 2 drew before');
        assert.equal(r(paired, 2), r(plain, 0));
        assert.notEqual(r(paired, 0), r(paired, 2));
        assert.ok(paired.recorder.stores[0].count > 20, 'the replicas fired');
      } finally {
        for (const b of [plain, identity, paired]) await b.dispose();
      }
    });

    it(`${entry.name}: the map is checkpointed: a restore adopts it, and the run goes on as an uninterrupted one`, { skip: entry.skip }, async () => {
      const straight = await entry.create(net, { batch: 2, noiseStreams: [5, 5] });
      const first = await entry.create(net, { batch: 2, noiseStreams: [5, 5] });
      const second = await entry.create(net, { batch: 2 });
      try {
        await straight.run(2 * STEPS);
        await first.run(STEPS);
        const path = join(dir, `${entry.name.replace(/\W+/g, '-')}.ckpt`);
        writeCheckpointFile(path, first.checkpoint());
        const cp = readCheckpointFile(path);
        assert.deepEqual(cp.noiseStreams, [5, 5]);
        second.restore(cp);
        assert.deepEqual(second.noiseStreams(), [5, 5]);
        await second.run(STEPS);
        assert.equal(second.recorder.spikeHash(), straight.recorder.spikeHash());
        assert.equal(second.recorder.replicaHash(0), second.recorder.replicaHash(1));
      } finally {
        for (const b of [straight, first, second]) await b.dispose();
      }
    });
  }

  it('setNoiseStreams re-maps the drive from the next step on; bad maps are refused naming the field and range', async () => {
    const b = new ReferenceBackend(net, { batch: 2 });
    const ref = new ReferenceBackend(net, { batch: 2 });
    await b.run(10);
    await ref.run(10);
    b.setNoiseStreams([1, 1]);
    // Replica 0 now draws replica 1's drive; its state is still its own, so only the drive is shared.
    assert.deepEqual(b.noiseStreams(), [1, 1]);
    await b.run(STEPS);
    await ref.run(STEPS);
    assert.equal(b.recorder.replicaHash(1), ref.recorder.replicaHash(1));
    assert.notEqual(b.recorder.replicaHash(0), ref.recorder.replicaHash(0));
    const refused = (streams: unknown, field: RegExp) =>
      assert.throws(() => b.setNoiseStreams(streams as number[]), (e: unknown) => e instanceof InputError && field.test(e.field) && /\[0, 4294967295\]|2 entries|array/.test(e.message));
    refused([0], /^noiseStreams$/);
    refused([0, -1], /^noiseStreams\[1\]$/);
    refused([0, 1.5], /^noiseStreams\[1\]$/);
    refused([0, 2 ** 32], /^noiseStreams\[1\]$/);
    refused('01', /^noiseStreams$/);
    assert.throws(() => new ReferenceBackend(net, { batch: 2, noiseStreams: [0, 1, 2] }), (e: unknown) => e instanceof InputError && e.field === 'noiseStreams');
    await b.dispose();
    await ref.dispose();
  });

  it('a checkpoint from before the map restores as the identity; a bad map in a checkpoint is refused', async () => {
    const b = new ReferenceBackend(net, { batch: 2, noiseStreams: [1, 1] });
    const a = new ReferenceBackend(net, { batch: 2 });
    await a.run(STEPS);
    const { noiseStreams: _dropped, ...old } = a.checkpoint();
    b.restore(old);
    assert.deepEqual(b.noiseStreams(), [0, 1]);
    await b.run(10);
    await a.run(10);
    assert.equal(b.recorder.spikeHash(), a.recorder.spikeHash());
    assert.throws(() => b.restore({ ...a.checkpoint(), noiseStreams: [0] }), (e: unknown) => e instanceof InputError && e.field === 'checkpoint.noiseStreams');
    await a.dispose();
    await b.dispose();
  });
});
