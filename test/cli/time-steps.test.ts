import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { runMain } from './in-process.js';
import { TINY_MODEL, writeTinyScenario } from './scenario-fixtures.js';

describe('CLI: times off the dt grid are refused with exit 2 naming the field (issue 17.5)', () => {
  it('simulate --duration 0.04 is refused (it used to run 0 steps and exit 0), like --duration 0', async () => {
    const r = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '0.04']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /--duration: must be a multiple of dt = 0\.1 ms \(got 0\.04; nearest 0\.1\)/);
  });

  it('simulate --duration 0.15 and 0.25 are both refused with their nearest values; 0.3 runs 3 steps', async () => {
    const a = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '0.15']);
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--duration: .*nearest 0\.1 or 0\.2/);
    const b = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '0.25']);
    assert.equal(b.code, 2);
    assert.match(b.stderr, /--duration: .*nearest 0\.2 or 0\.3/);
    const ok = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '0.3', '--backend', 'cpu', '--json']);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).steps ?? 3, 3);
  });

  it('simulate --warmup, --checkpoint-interval and --checkpoint-every off the grid name their flag', async () => {
    const w = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '10', '--warmup', '2.25']);
    assert.equal(w.code, 2);
    assert.match(w.stderr, /--warmup: must be a multiple of dt = 0\.1 ms \(got 2\.25; nearest 2\.2 or 2\.3\)/);
    const dir = tempDir();
    const c = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '10', '--save-checkpoint', join(dir, 'c.ckpt'), '--checkpoint-interval', '2.55']);
    assert.equal(c.code, 2);
    assert.match(c.stderr, /--checkpoint-interval: must be a multiple of dt = 0\.1 ms \(got 2\.55; nearest 2\.5 or 2\.6\)/);
    const e = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '10', '--checkpoint-every', '0.05']);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /--checkpoint-every: must be a multiple of dt/);
    const d = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '10.1', '--dt', '0.25']);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /--duration: must be a multiple of dt = 0\.25 ms \(got 10\.1; nearest 10 or 10\.25\)/);
  });

  it('a model whose constant delay is not a multiple of --dt is refused naming the projection (NEST: delays are multiples of the resolution)', async () => {
    // tiny.yaml writes delays of 0.8 ms: 3.2 steps at dt = 0.25.
    const d = await runMain(['simulate', '--model', TINY_MODEL, '--duration', '10', '--dt', '0.25']);
    assert.equal(d.code, 2);
    assert.match(d.stderr, /model\.projections\[\d\]\.delayMs: must be a multiple of dt = 0\.25 ms \(got 0\.8; nearest 0\.75 or 1\)/);
  });

  it('validate refuses a scenario time off the grid naming the field: observation, a default, a fault window', async () => {
    const dir = tempDir();
    const obs = writeTinyScenario(dir, 'obs', [{ id: 'a', observationMs: 40.05 }]);
    const r = await runMain(['validate', obs]);
    assert.equal(r.code, 2, r.stdout);
    assert.match(r.stderr, /experiments\[0\]\.observationMs: must be a multiple of dt = 0\.1 ms \(got 40\.05; nearest 40 or 40\.1\)/);
    const hold = writeTinyScenario(dir, 'hold', [{ id: 'a' }]);
    writeFileSync(hold, readFileSync(hold, 'utf8').replace('holdMs: 20', 'holdMs: 20.01'));
    const h = await runMain(['validate', hold]);
    assert.equal(h.code, 2);
    assert.match(h.stderr, /defaults\.holdMs: must be a multiple of dt/);
    const fault = writeTinyScenario(dir, 'fault', [{ id: 'a' }]);
    writeFileSync(fault, readFileSync(fault, 'utf8').replace('durationMs: 20 }', 'durationMs: 0.25 }'));
    const f = await runMain(['run', fault, '--dry-run']);
    assert.equal(f.code, 2);
    assert.match(f.stderr, /experiments\[0\]\.fault\.durationMs: must be a multiple of dt = 0\.1 ms \(got 0\.25; nearest 0\.2 or 0\.3\)/);
  });

  it('--time-scale: derived times round (no error for 40 x 0.125 = 5 or 20 x 0.0125 = 0.25), one that rounds to 0 steps is refused naming the field', async () => {
    const dir = tempDir();
    const file = writeTinyScenario(dir, 'scaled', [{ id: 'a', observationMs: 40, recoveryTimeoutMs: 100 }]);
    const ok = await runMain(['run', file, '--dry-run', '--time-scale', '0.0125']);
    assert.equal(ok.code, 0, ok.stderr);
    const zero = await runMain(['run', file, '--dry-run', '--time-scale', '0.001']);
    assert.equal(zero.code, 2);
    // 40 ms x 0.001 = 0.04 ms: 0 steps.
    assert.match(zero.stderr, /experiments\[0\]\.observationMs x --time-scale 0\.001: must be at least 0\.1 ms/);
  });
});
