import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { join } from 'node:path';
import { startCli } from '../../helpers/cli.js';
import { waitForRecordedStep } from '../../helpers/child-progress.js';
import { tempDir } from '../../helpers/temp-dir.js';

describe('SIGINT on a backend whose kernels block the event loop', () => {
  it('simulate --backend gpujs --gpujs-mode cpu stops promptly on SIGINT, exits 130, interrupted true', async () => {
    const recording = join(tempDir('neurochaos-sigint-'), 'run.spikes');
    const args = ['simulate', '--backend', 'gpujs', '--gpujs-mode', 'cpu', '--model', 'microcircuit', '--scale', '0.02', '--duration', '1000000', '--record', recording, '--json'];
    const { child, done } = startCli(args);
    // Well into the run, read from what it recorded: a fixed sleep could end, on a slow machine, before the
    // handler was installed or while the network was still being built.
    assert.ok((await waitForRecordedStep(recording, 200)) >= 200, 'the run never got going');
    const sentAt = performance.now();
    child.kill('SIGINT');
    // Without a turn of the event loop the run would go on for hours: give up after a while.
    const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    const { code, stdout, stderr } = await done;
    clearTimeout(killer);
    const stopMs = performance.now() - sentAt;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /SIGINT received, stopping cleanly/);
    const out = JSON.parse(stdout);
    assert.equal(out.backend, 'gpujs');
    assert.equal(out.interrupted, true);
    assert.ok(out.durationMs > 0 && out.durationMs < 1000000, `simulated ${out.durationMs} ms before the signal`);
    assert.ok(stopMs < 2000, `exited ${stopMs.toFixed(0)} ms after SIGINT`);
  });
});
