import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { compareRecording } from '../../../src/record/compare-recording.js';
import { DurableSpikeWriter } from '../../../src/record/durable-spike-writer.js';
import { validateRecording } from '../../../src/record/read-recording.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import type { SpikeSink } from '../../../src/record/spike-recorder.js';
import { tinyNetwork } from '../../conformance/networks.js';
import { SHELL_BACKENDS } from './shell-backends.js';

const net = tinyNetwork();
const dir = mkdtempSync(join(tmpdir(), 'nc-restore-contract-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const BLOCK_STEPS = 10;

/** Runs in slices, moving the writer on after each as the engine and the CLI do. */
async function drive(b: { run(n: number): Promise<unknown>; currentStep: number }, w: DurableSpikeWriter, steps: number, slice = BLOCK_STEPS) {
  const end = b.currentStep + steps;
  while (b.currentStep < end) {
    await b.run(Math.min(slice, end - b.currentStep));
    w.advance(b.currentStep);
  }
}

describe('restore contract (every backend)', () => {
  for (const entry of SHELL_BACKENDS) {
    it(`${entry.name}: restore cuts the record and a durable recording back to the checkpoint's step; nothing lost, nothing twice`, { skip: entry.skip }, async () => {
      const b = await entry.create(net, { batch: 2 });
      const straight = await entry.create(net, { batch: 2 });
      try {
        const path = join(dir, `${entry.name.replace(/\W+/g, '-')}.spikes`);
        const w = DurableSpikeWriter.create({ path, blockSteps: BLOCK_STEPS, fsync: 'none' }, net, b.batch, b.seed);
        w.attach(b.recorder);
        await drive(b, w, 30);
        const cp = b.checkpoint();
        // Steps the restore takes back: their blocks reach the file before it.
        await drive(b, w, 40);
        const spikesAhead = b.recorder.totalSpikes;
        // Listen in on what the record tells its sink, behind the writer.
        const told: number[] = [];
        const writerSink = b.recorder.sink!;
        const spy: SpikeSink = { record: (...a) => writerSink.record(...a), rewound: (step) => (told.push(step), writerSink.rewound(step)) };
        b.recorder.sink = spy;
        b.restore(cp);
        b.recorder.sink = writerSink;
        assert.deepEqual(told, [cp.step], 'the sink is told the checkpoint step');
        assert.equal(b.currentStep, 30);
        assert.ok(b.recorder.totalSpikes < spikesAhead, 'the record is cut back');
        await drive(b, w, 40);
        w.close(b.currentStep);

        await straight.run(70);
        assert.equal(b.recorder.spikeHash(), straight.recorder.spikeHash(), 'restore then run equals a straight run');
        const v = validateRecording(path);
        assert.ok(v.ok, JSON.stringify(v.gaps));
        const cmp = compareRecording(v, straight.recorder, 0, 70);
        assert.equal(cmp.spikesDuplicated, 0, 'replayed steps are not written twice');
        assert.equal(cmp.spikesLost, 0);
        assert.ok(cmp.expected > 50, `the network fired (${cmp.expected} spikes)`);
      } finally {
        await b.dispose();
        await straight.dispose();
      }
    });

    it(`${entry.name}: restore adopts the checkpoint's seed and step, and goes on as the reference does`, { skip: entry.skip }, async () => {
      const source = new ReferenceBackend(net, { batch: 2, seed: 9 });
      const b = await entry.create(net, { batch: 2 });
      try {
        await source.run(30);
        b.restore(source.checkpoint());
        assert.equal(b.seed, 9);
        assert.equal(b.currentStep, 30);
        await b.run(30);
        await source.run(30);
        assert.equal(b.recorder.spikeHash(), source.recorder.spikeHash());
      } finally {
        await b.dispose();
        await source.dispose();
      }
    });
  }
});
