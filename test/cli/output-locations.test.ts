import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runMain } from './in-process.js';
import { writeTinyScenario } from './scenario-fixtures.js';

const noStack = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .*\(.*:\d+:\d+\)|\n\s+at file:/, `a stack trace:\n${stderr}`);

describe('output locations are checked before any simulation', () => {
  const dir = tempDir();
  const blocker = join(dir, 'a-file');
  writeFileSync(blocker, 'not a folder');
  const scenario = writeTinyScenario(dir, 'tiny', [{ id: 'storm' }]);

  it('run --out under a regular file: exit 2 naming --out, nothing simulated (no recording, fast)', async () => {
    for (const out of [join(blocker, 'out'), blocker]) {
      const started = Date.now();
      const r = await runCli(['run', scenario, '--out', out]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--out: cannot write into .*a-file.* is a file/);
      noStack(r.stderr);
      assert.ok(Date.now() - started < 30_000);
    }
    // The dry run checks the same (it would have run into it later).
    const dry = await runMain(['run', scenario, '--out', join(blocker, 'out'), '--dry-run']);
    assert.equal(dry.code, 2);
    assert.match(dry.stderr, /--out: /);
  });

  it('run: the recordings folder under --out is checked too', async () => {
    const out = join(dir, 'out-with-blocked-recordings');
    mkdirSync(out);
    writeFileSync(join(out, 'recordings'), 'in the way');
    const r = await runMain(['run', scenario, '--out', out]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--out: cannot write into .*recordings/);
    assert.deepEqual(readdirSync(out), ['recordings'], 'nothing written');
  });

  it('simulate --save-checkpoint and --record: exit 2 naming the flag before building the network', async () => {
    const cases: [string[], RegExp][] = [
      [['--save-checkpoint', join(blocker, 'state.ckpt')], /--save-checkpoint: cannot write .*a-file" is a file, not a folder/],
      [['--save-checkpoint', dir], /--save-checkpoint: cannot write .*it is a folder/],
      [['--save-checkpoint', join(dir, 'no-such-folder', 'state.ckpt')], /--save-checkpoint: cannot write .*does not exist/],
      [['--record', join(blocker, 'run.spikes')], /--record: cannot write .*a-file" is a file, not a folder/],
      [['--record', dir], /--record: cannot write .*it is a folder/],
    ];
    for (const [flags, message] of cases) {
      const r = await runMain(['simulate', '--model', 'microcircuit', '--scale', '1', '--backend', 'cpu', ...flags]);
      assert.equal(r.code, 2, flags.join(' '));
      assert.match(r.stderr, message);
    }
  });

  it('report --out under a regular file: exit 2 naming --out', async () => {
    const run = join(dir, 'for-report');
    const r0 = await runMain(['run', scenario, '--out', run]);
    assert.ok(r0.code === 0 || r0.code === 1, r0.stderr);
    const r = await runMain(['report', join(run, 'journal.json'), '--out', join(blocker, 'report')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--out: cannot write into/);
  });

  it('when writing fails after the run anyway, the closing table is printed and the outputs go to a named fallback folder', async () => {
    const out = join(dir, 'late');
    const first = writeTinyScenario(dir, 'first', [{ id: 'quick' }]);
    // The second runs long enough for the test to block its folder after the check, and records nothing (no folder made early).
    const second = writeTinyScenario(dir, 'second', [{ id: 'slow', observationMs: 3000 }], ['defences: { recording: off }']);
    const running = runCli(['run', first, second, '--out', out]);
    for (let waited = 0; !existsSync(join(out, '00', 'journal.json')) && waited < 120_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    writeFileSync(join(out, '01'), 'in the way');
    const r = await running;
    assert.equal(r.code, 1, r.stderr);
    noStack(r.stderr);
    assert.match(r.stdout, /second: completed/, 'the closing table');
    const fallback = /writing them into (\S+) instead/.exec(r.stderr)?.[1];
    assert.ok(fallback, r.stderr);
    assert.ok(fallback.startsWith(tmpdir()));
    try {
      const journal = JSON.parse(readFileSync(join(fallback, 'journal.json'), 'utf8'));
      assert.equal(journal.experiments[0].id, 'slow');
      assert.match(r.stdout, new RegExp(`wrote ${join(fallback, 'journal.json')}`));
    } finally {
      rmSync(fallback, { recursive: true, force: true });
    }
  });
});
