import { supervision } from '../helpers/shard-supervision.js';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { OutputFs } from '../../src/io/output-fs.js';
import { Allocator } from '../../src/memory/allocator.js';
import { buildNetwork } from '../../src/model/builder.js';
import { compareRecording } from '../../src/record/compare-recording.js';
import { DurableSpikeWriter } from '../../src/record/durable-spike-writer.js';
import { validateRecording } from '../../src/record/read-recording.js';
import { StreamRng } from '../../src/util/rng.js';
import { smallNetworkSpec } from '../helpers/networks.js';
import { tempDir } from '../helpers/temp-dir.js';

const net = buildNetwork(smallNetworkSpec(300), { seed: 5 });
const dir = tempDir('nc-rec-');
let n = 0;
const file = () => join(dir, `r${n++}.spikes`);

/** Runs `steps` in slices, advancing the writer after each as the experiment engine does. */
async function drive(b: { run(n: number): Promise<unknown>; currentStep: number }, w: DurableSpikeWriter, steps: number, slice = 50, between?: (step: number) => void) {
  const end = b.currentStep + steps;
  while (b.currentStep < end) {
    await b.run(Math.min(slice, end - b.currentStep));
    w.advance(b.currentStep);
    between?.(b.currentStep);
  }
}

function faults(fs: OutputFs, s: { errorRate?: number; full?: boolean }) {
  fs.setFaults({ latencyMs: 0, errorRate: s.errorRate ?? 0, full: s.full ?? false, rng: new StreamRng('disk') });
}

describe('durable spike recording', () => {
  it('records every spike of a healthy run, block by block, and the reader finds no gap', async () => {
    const b = new ReferenceBackend(net, { batch: 2 });
    const path = file();
    const w = DurableSpikeWriter.create({ path }, net, 2, b.seed);
    w.attach(b.recorder);
    await drive(b, w, 1000);
    const stats = w.close(b.currentStep);
    const v = validateRecording(path);
    assert.ok(v.ok, JSON.stringify(v.gaps));
    assert.equal(v.blocks, 10);
    assert.equal(v.spikes, b.recorder.totalSpikes);
    assert.ok(v.spikes > 100);
    assert.deepEqual(compareRecording(v, b.recorder, 0, 1000), { spikesLost: 0, spikesDuplicated: 0, expected: v.spikes, inFile: v.spikes });
    assert.ok(stats.fsyncs >= 1, 'fsynced (at least on close)');
    assert.equal(stats.backlogBytes, 0);
  });

  it('rides out a failing disk (EIO, then ENOSPC) with retries and a backlog: nothing lost, nothing twice', async () => {
    const fs = new OutputFs();
    const b = new ReferenceBackend(net);
    const path = file();
    // No backoff wait: every advance retries, so each failure phase is met however fast the machine runs (the schedule has its own test).
    const w = DurableSpikeWriter.create({ path, fs, retryBaseMs: 0, retryMaxMs: 0 }, net, 1, b.seed);
    w.attach(b.recorder);
    const errors: string[] = [];
    let recovered = 0;
    w.on('write-error', (e) => errors.push(e.code));
    w.on('recovered', () => recovered++);
    await drive(b, w, 300);
    faults(fs, { errorRate: 1 });
    await drive(b, w, 300);
    faults(fs, { full: true });
    await drive(b, w, 300);
    assert.ok(w.stats.backlogBytes > 0, 'blocks wait in the backlog while the disk fails');
    fs.setFaults(null);
    await drive(b, w, 300);
    const stats = w.close(b.currentStep);
    assert.ok(errors.includes('EIO') && errors.includes('ENOSPC'), errors.join());
    assert.ok(recovered >= 1);
    assert.equal(stats.spikesLost, 0);
    const v = validateRecording(path);
    assert.ok(v.ok, JSON.stringify(v.gaps));
    assert.deepEqual(compareRecording(v, b.recorder, 0, 1200).spikesLost, 0);
    assert.deepEqual(compareRecording(v, b.recorder, 0, 1200).spikesDuplicated, 0);
  });

  it('backs off between retries, doubling up to retryMaxMs, and tries nothing before the wait is over', async () => {
    const fs = new OutputFs();
    const b = new ReferenceBackend(net);
    const w = DurableSpikeWriter.create({ path: file(), fs, retryBaseMs: 1, retryMaxMs: 4 }, net, 1, b.seed);
    const c = new ReferenceBackend(net);
    const patient = DurableSpikeWriter.create({ path: file(), fs, retryBaseMs: 60_000, retryMaxMs: 60_000, closeTimeoutMs: 0 }, net, 1, c.seed);
    faults(fs, { errorRate: 1 });
    // The schedule: each wait here outlasts the delay, so each advance makes one attempt.
    w.attach(b.recorder);
    const delays: number[] = [];
    w.on('write-error', (e) => delays.push(e.retryInMs));
    await drive(b, w, 100);
    for (let k = 0; k < 4; k++) {
      await new Promise((r) => setTimeout(r, 10));
      w.advance(b.currentStep);
    }
    assert.deepEqual(delays, [1, 2, 4, 4, 4]);
    // Nothing is tried inside the wait.
    patient.attach(c.recorder);
    let attempts = 0;
    patient.on('write-error', () => attempts++);
    await drive(c, patient, 300);
    assert.equal(attempts, 1);
    fs.setFaults(null);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(w.close(b.currentStep).spikesLost, 0);
    patient.close(c.currentStep);
  });

  it('rewrites blocks whose fsync failed, in place', async () => {
    class FsyncFailsOnce extends OutputFs {
      failed = 0;
      override fsync(fd: number, path: string): void {
        if (this.failed++ === 1) throw Object.assign(new Error('EIO: fsync'), { code: 'EIO' });
        super.fsync(fd, path);
      }
    }
    const fs = new FsyncFailsOnce();
    const b = new ReferenceBackend(net);
    const path = file();
    const w = DurableSpikeWriter.create({ path, fs, fsync: 'block', retryBaseMs: 0 }, net, 1, b.seed);
    w.attach(b.recorder);
    await drive(b, w, 800);
    w.close(b.currentStep);
    assert.equal(w.stats.fsyncErrors, 1);
    const v = validateRecording(path);
    assert.ok(v.ok);
    assert.equal(compareRecording(v, b.recorder, 0, 800).spikesDuplicated, 0);
    assert.equal(v.spikes, b.recorder.totalSpikes);
  });

  it('says so loudly when the backlog bound is reached: data-loss events, a loss block, and the count', async () => {
    const fs = new OutputFs();
    const b = new ReferenceBackend(net);
    const path = file();
    const w = DurableSpikeWriter.create({ path, fs, backlogBytes: 2000, retryBaseMs: 1, retryMaxMs: 2 }, net, 1, b.seed);
    w.attach(b.recorder);
    const losses: { spikes: number }[] = [];
    w.on('data-loss', (e) => losses.push(e));
    await drive(b, w, 200);
    faults(fs, { full: true });
    await drive(b, w, 1000);
    fs.setFaults(null);
    await drive(b, w, 200);
    const stats = w.close(b.currentStep);
    assert.ok(losses.length > 0);
    assert.ok(stats.spikesLost > 0);
    assert.equal(losses.reduce((a, l) => a + l.spikes, 0), stats.spikesLost);
    const v = validateRecording(path);
    assert.equal(v.ok, false);
    const declared = v.gaps.filter((g) => g.reason === 'declared-loss');
    assert.ok(declared.length >= 1, 'the file says which steps are missing');
    assert.equal(declared.reduce((a, g) => a + (g.spikes ?? 0), 0), stats.spikesLost);
    const c = compareRecording(v, b.recorder, 0, 1400);
    assert.equal(c.spikesLost, stats.spikesLost, 'the writer counts exactly what the file lacks');
    assert.equal(c.spikesDuplicated, 0);
  });

  it('without the defence (raw recorder), the same failing disk loses data', async () => {
    const fs = new OutputFs();
    const b = new ReferenceBackend(net);
    const path = file();
    const w = DurableSpikeWriter.create({ path, fs, defended: false }, net, 1, b.seed);
    w.attach(b.recorder);
    await drive(b, w, 300);
    faults(fs, { errorRate: 1 });
    await drive(b, w, 300);
    fs.setFaults(null);
    await drive(b, w, 300);
    w.close(b.currentStep);
    const c = compareRecording(validateRecording(path), b.recorder, 0, 900);
    assert.ok(c.spikesLost > 0);
    assert.equal(c.spikesLost, w.stats.spikesLost);
  });

  it('follows worker recovery: replayed steps are written once (and twice by the raw recorder)', async () => {
    for (const defended of [true, false]) {
      const b = new WorkersBackend(net, { workers: 2, checkpointEverySteps: 300 });
      try {
        const path = file();
        const w = DurableSpikeWriter.create({ path, defended }, net, 1, b.seed);
        w.attach(b.recorder);
        supervision(b).injectFailure(1, 777, 'throw');
        // One run: its restart points come every 300 steps, so the lost chunk's predecessors are replayed.
        await drive(b, w, 1200, 1200);
        w.close(b.currentStep);
        assert.equal(b.restartCount, 1);
        const c = compareRecording(validateRecording(path), b.recorder, 0, 1200);
        assert.equal(c.spikesLost, 0);
        if (defended) assert.equal(c.spikesDuplicated, 0);
        else assert.ok(c.spikesDuplicated > 0, 'the raw recorder writes the replay twice');
      } finally {
        await b.dispose();
      }
    }
  });

  it('resumes a recording after a restore from a checkpoint, as a new process would', async () => {
    const path = file();
    const a = new ReferenceBackend(net);
    const w1 = DurableSpikeWriter.create({ path }, net, 1, a.seed);
    w1.attach(a.recorder);
    await drive(a, w1, 450);
    const cp = a.checkpoint();
    await drive(a, w1, 330); // this part is "lost with the crashed process": its blocks will be replaced
    w1.close(a.currentStep);
    // A corrupted tail, as a crash mid-write would leave it.
    writeFileSync(path, Buffer.concat([readFileSync(path), Buffer.from([1, 2, 3, 4, 5])]));

    const b = new ReferenceBackend(net);
    b.restore(cp);
    const w2 = DurableSpikeWriter.resume({ path }, b.recorder, cp.step);
    await drive(b, w2, 550);
    w2.close(b.currentStep);
    const ref = new ReferenceBackend(net);
    await ref.run(1000);
    const v = validateRecording(path);
    assert.ok(v.ok, JSON.stringify(v));
    assert.equal(v.spikes, ref.recorder.totalSpikes);
    assert.deepEqual(compareRecording(v, ref.recorder, 0, 1000).spikesLost, 0);
  });

  it('degrades to fsync-per-block when memory for the backlog is refused, and still keeps every spike', async () => {
    const allocator = new Allocator();
    const b = new ReferenceBackend(net);
    const path = file();
    // A long fsync interval: blocks are waiting in memory when the pressure begins.
    const w = DurableSpikeWriter.create({ path, allocator, fsyncIntervalMs: 60_000 }, net, 1, b.seed);
    w.attach(b.recorder);
    const gaveUp: string[] = [];
    allocator.on('degraded', (d) => gaveUp.push(`${d.component}: ${d.gaveUp}`));
    await drive(b, w, 300);
    assert.ok(w.stats.backlogBytes > 0);
    allocator.setPressure({ failureRate: 1, rng: new StreamRng('alloc') });
    await drive(b, w, 500);
    allocator.setPressure(null);
    w.close(b.currentStep);
    assert.equal(gaveUp.length, 1);
    assert.match(gaveUp[0], /durable recording: group commit/);
    assert.equal(w.stats.spikesLost, 0);
    const v = validateRecording(path);
    assert.ok(v.ok);
    assert.equal(v.spikes, b.recorder.totalSpikes);
  });

  it('the reader reports a corrupted block as a gap and a cut-off tail as truncated', async () => {
    const b = new ReferenceBackend(net);
    const path = file();
    const w = DurableSpikeWriter.create({ path }, net, 1, b.seed);
    w.attach(b.recorder);
    await drive(b, w, 500);
    w.close(b.currentStep);
    const bytes = readFileSync(path);
    bytes[bytes.length - 5] ^= 0xff; // inside the last block's payload
    writeFileSync(path, Buffer.concat([bytes, Buffer.from([9, 9, 9])]));
    const v = validateRecording(path);
    assert.equal(v.ok, false);
    assert.equal(v.corruptBlocks, 1);
    assert.deepEqual(v.gaps.map((g) => [g.fromStep, g.toStep, g.reason]), [[400, 500, 'corrupt-block']]);
    assert.equal(v.truncatedTailBytes, 3);
  });

  it('refuses bad options by name', () => {
    assert.throws(() => DurableSpikeWriter.create({ path: file(), blockSteps: 0 }, net, 1, 1), /recording\.blockSteps.*\[1, 1000000\]/);
    assert.throws(() => DurableSpikeWriter.create({ path: file(), fsync: 'sometimes' as 'none' }, net, 1, 1), /recording\.fsync.*block, interval, none/);
  });
});
