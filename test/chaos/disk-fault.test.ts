import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCheckpointFile, writeCheckpointFile } from '../../src/backends/checkpoint-file.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { DiskFault } from '../../src/chaos/disk-fault.js';
import { InputError } from '../../src/util/errors.js';
import { reference } from './helpers.js';
import { tempDir } from '../helpers/temp-dir.js';

const sim = reference();
sim.advance(20);
const cp = sim.checkpoint();

describe('disk-fault', () => {
  it('errorRate 1: the checkpoint write fails with EIO, leaves no temporary file, the old checkpoint survives', async () => {
    const dir = tempDir('neurochaos-disk-');
    const file = join(dir, 'cp.nchk');
    writeCheckpointFile(file, cp);
    const f = (await new ChaosController(sim).inject({ kind: 'disk-fault', path: dir, errorRate: 1 })) as DiskFault;
    try {
      assert.throws(() => writeCheckpointFile(file, cp), (e: NodeJS.ErrnoException) => e.code === 'EIO' && /injected by disk-fault/.test(e.message));
      assert.equal(f.injected.eio, 1);
      assert.ok(f.verify().ok, f.verify().evidence);
      assert.deepEqual(readdirSync(dir), ['cp.nchk']);
      assert.equal(readCheckpointFile(file).step, 20);
    } finally {
      await f.stop();
    }
    assert.ok(f.verify().ok);
    writeCheckpointFile(file, cp);
  });

  it('full: ENOSPC until stopped; files outside its folder are untouched', async () => {
    const dir = tempDir('neurochaos-disk-');
    const other = tempDir('neurochaos-other-');
    const f = await new ChaosController(sim).inject({ kind: 'disk-fault', path: dir, full: true });
    try {
      assert.throws(() => writeCheckpointFile(join(dir, 'a.nchk'), cp), (e: NodeJS.ErrnoException) => e.code === 'ENOSPC');
      writeCheckpointFile(join(other, 'b.nchk'), cp);
      assert.ok(existsSync(join(other, 'b.nchk')));
    } finally {
      await f.stop();
    }
    writeCheckpointFile(join(dir, 'a.nchk'), cp);
  });

  it('latency: every write and fsync waits', async () => {
    const dir = tempDir('neurochaos-disk-');
    const f = (await new ChaosController(sim).inject({ kind: 'disk-fault', path: dir, latencyMs: 20 })) as DiskFault;
    try {
      const t0 = performance.now();
      writeCheckpointFile(join(dir, 'slow.nchk'), cp);
      const ms = performance.now() - t0;
      assert.ok(f.injected.delayedOps >= 3, `${f.injected.delayedOps} delayed ops`);
      assert.ok(ms >= 20 * f.injected.delayedOps, `${ms} ms`);
    } finally {
      await f.stop();
    }
  });

  it('refuses a disk fault that does nothing, and a second one at once', async () => {
    const chaos = new ChaosController(sim);
    await assert.rejects(chaos.inject({ kind: 'disk-fault' }), (e: unknown) => e instanceof InputError && e.field === 'fault.latencyMs');
    const f = await chaos.inject({ kind: 'disk-fault', latencyMs: 1 });
    await assert.rejects(chaos.inject({ kind: 'disk-fault', latencyMs: 1 }), /already active/);
    await f.stop();
    await assert.rejects(chaos.inject({ kind: 'disk-fault', errorRate: 2 }), (e: unknown) => e instanceof InputError && e.field === 'fault.errorRate');
  });

  it('a real full disk (64 KiB tmpfs): the checkpoint write fails cleanly with ENOSPC', async (t) => {
    const dir = tempDir('neurochaos-tmpfs-');
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    } catch (e) {
      t.skip(`cannot mount a tmpfs here (${String((e as Error).message).split('\n')[0]}): needs root and mount rights`);
      return;
    }
    try {
      assert.throws(() => writeCheckpointFile(join(dir, 'big.nchk'), cp), (e: NodeJS.ErrnoException) => e.code === 'ENOSPC');
      assert.deepEqual(readdirSync(dir), [], 'no partial or temporary file is left');
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});
