import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runMain } from './in-process.js';
import { writeTinyScenario } from './scenario-fixtures.js';

describe('run: progress on stderr', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurochaos-progress-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const file = writeTinyScenario(dir, 'two', [{ id: 'first' }, { id: 'second' }]);

  it('off a terminal: one line per experiment as it starts and ends, no control characters', async () => {
    const r = await runMain(['run', file, '--out', join(dir, 'out')]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const lines = r.stderr.trim().split('\n');
    assert.match(lines[0], /^\[1\/2\] first \(spike-storm\): \d+ ms simulated at most$/);
    assert.ok(lines.some((l) => /^\[1\/2\] first: (pass|fail), \d+ ms simulated in \d+\.\d s$/.test(l)), r.stderr);
    assert.ok(lines.some((l) => /^\[2\/2\] second \(spike-storm\)/.test(l)), r.stderr);
    assert.ok(lines.some((l) => /^\[2\/2\] second: (pass|fail), /.test(l)), r.stderr);
    assert.doesNotMatch(r.stderr, /\r|\x1b/, 'plain lines for CI logs');
  });

  it('--quiet: nothing on stderr; the closing table still on stdout', async () => {
    const r = await runMain(['run', file, '--quiet', '--out', join(dir, 'quiet')]);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    assert.equal(r.stderr, '');
    assert.match(r.stdout, /first +spike-storm/);
  });

  it('--dry-run: simulated time and a wall-time estimate per experiment', async () => {
    const r = await runMain(['run', file, '--dry-run']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.stdout.match(/simulated \d+ ms at most \(warm-up, baseline, observation, recovery timeout\); wall about \d+(s|m\d\ds)/g) ?? []).length, 2, r.stdout);
    assert.match(r.stdout, /wall-time estimate: \d+ simulated ms per wall second, measured over \d+ unfaulted steps of this network on the cpu backend/);
  });
});
