import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readCheckpointFile } from '../../src/backends/checkpoint-file.js';
import { validateRecording, validateRecordingBytes } from '../../src/record/read-recording.js';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';

const MODEL = ['--model', 'cuba', '--scale', '0.5', '--backend', 'cpu'];

describe('durable recording from the CLI', () => {
  it('a simulation killed with SIGKILL resumes from its periodic checkpoint into the same recording: no gap, no duplicate, the same spikes', async () => {
    const dir = tempDir('nc-crash-');
    const cp = join(dir, 'state.ckpt');
    const rec = join(dir, 'run.spikes');
    const total = 4000;
    const child = spawn(process.execPath, [BIN, 'simulate', ...MODEL, '--duration', String(total), '--save-checkpoint', cp, '--checkpoint-interval', '500', '--record', rec], { stdio: 'ignore' });
    const closed = new Promise((resolve) => child.on('close', resolve));
    const reached = () => {
      try {
        return validateRecordingBytes(readFileSync(rec)).endStep;
      } catch {
        return 0;
      }
    };
    // Crash it after its first checkpoint, with recorded blocks beyond that checkpoint.
    for (let waited = 0; !(existsSync(cp) && reached() > 7000) && waited < 120_000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGKILL');
    await closed;
    const state = readCheckpointFile(cp);
    assert.ok(state.step >= 5000 && state.step < total * 10, `checkpoint at step ${state.step}`);
    const restMs = total - state.step * 0.1;
    const resumed = await runCli(['simulate', ...MODEL, '--restore', cp, '--duration', String(restMs), '--record', rec, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const r = JSON.parse(resumed.stdout);
    assert.equal(r.recording.resumed, true);
    assert.equal(r.recording.valid, true);

    const refRec = join(dir, 'ref.spikes');
    const ref = await runCli(['simulate', ...MODEL, '--duration', String(total), '--record', refRec, '--json']);
    assert.equal(ref.code, 0, ref.stderr);
    assert.equal(r.spikeHash, JSON.parse(ref.stdout).spikeHash);
    const a = validateRecording(rec);
    const b = validateRecording(refRec);
    assert.ok(a.ok && b.ok);
    assert.equal(a.endStep, total * 10);
    assert.deepEqual(a.entries, b.entries, 'the resumed recording holds exactly the uninterrupted run\'s spikes');

    const check = await runCli(['recording', rec]);
    assert.equal(check.code, 0, check.stdout);
    assert.match(check.stdout, /whole/);
  });

  it('the recording command reports damage (exit 1) and refuses what is not a recording (exit 2)', async () => {
    const dir = tempDir('nc-rec-cli-');
    const rec = join(dir, 'r.spikes');
    assert.equal((await runCli(['simulate', ...MODEL, '--duration', '300', '--record', rec])).code, 0);
    const bytes = readFileSync(rec);
    bytes[bytes.length - 3] ^= 0x55;
    writeFileSync(rec, bytes);
    const damaged = await runCli(['recording', rec]);
    assert.equal(damaged.code, 1);
    assert.match(damaged.stdout, /DAMAGED/);
    assert.match(damaged.stdout, /gap: steps 2900-3000 \(corrupt-block\)/);
    const junk = join(dir, 'junk');
    writeFileSync(junk, 'hello');
    const bad = await runCli(['recording', junk]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not a neurochaos spike recording/);
    // A fresh run does not replace an existing recording (the damaged one here): exit 2, the file untouched.
    const again = await runCli(['simulate', ...MODEL, '--duration', '10', '--record', rec]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /--record: ".*r\.spikes" exists and a fresh run would replace it: .*--restore CHECKPOINT/);
    assert.deepEqual(readFileSync(rec), bytes);
    const noDir = await runCli(['simulate', ...MODEL, '--duration', '10', '--record', join(dir, 'missing', 'r.spikes')]);
    assert.equal(noDir.code, 2);
    // Checked before the network is built (test/cli/output-locations.test.ts has the other cases).
    assert.match(noDir.stderr, /--record: cannot write .*r\.spikes": folder .*missing" does not exist/);
    const badFlag = await runCli(['simulate', ...MODEL, '--checkpoint-interval', '100']);
    assert.equal(badFlag.code, 2);
    assert.match(badFlag.stderr, /--checkpoint-interval.*--save-checkpoint|saveCheckpoint/);
  });
});
