import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { reportError } from '../../src/cli/main.js';
import { InputError } from '../../src/util/errors.js';
import { BIN } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { writeTinyScenario } from './scenario-fixtures.js';

function capture() {
  let text = '';
  const stream = { write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { ctx: { stdout: stream, stderr: stream, signal: new AbortController().signal }, text: () => text };
}

describe('the CLI process', () => {
  it('a closed stdout (neurochaos list | head -1) is not a crash: exit 0, nothing on stderr', async () => {
    for (const args of [['list'], ['--help'], ['run', '--help']]) {
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.destroy(); // the reader is gone before the first write
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      assert.equal(stderr, '', args.join(' '));
      assert.equal(code, 0, args.join(' '));
    }
  });

  it('a second Ctrl-C exits at once and writes the journal of the experiments that finished', async () => {
    const dir = tempDir();
    // A batch makes each simulated chunk slow enough that the clean stop is still under way when the second signal comes.
    const file = writeTinyScenario(dir, 'two', [{ id: 'short' }, { id: 'endless', observationMs: 1_000_000 }], ['batch: 16']);
    const out = join(dir, 'out');
    const child = spawn(process.execPath, [BIN, 'run', file, '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
    // The second experiment's recording exists once the first has finished.
    for (let waited = 0; !existsSync(join(out, 'recordings', 'endless.spikes')) && waited < 120_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    // Two signals sent at once may merge into one; 20 ms apart, both land while the child simulates a monitor
    // interval of 16 replicas (its event loop is busy), so it takes them one after the other: the second forces.
    child.kill('SIGINT');
    await new Promise((r) => setTimeout(r, 20));
    child.kill('SIGINT');
    assert.equal(await closed, 130, stderr);
    assert.match(stderr, /second SIGINT, exiting now/);
    assert.match(stderr, /journal of the 1 finished experiment\(s\) written to .*journal\.json/);
    const journal = JSON.parse(readFileSync(join(out, 'journal.json'), 'utf8'));
    assert.equal(journal.status, 'interrupted');
    assert.deepEqual(journal.experiments.map((e: { id: string }) => e.id), ['short']);
    assert.equal(journal.experiments[0].status, 'completed');
    assert.equal(typeof journal.report.overall, 'number');
  });

  it('errors reach the user without a stack trace: bad input exit 2, system errors and bugs exit 1', () => {
    const bad = capture();
    assert.equal(reportError(new InputError('--out', 'cannot write'), bad.ctx), 2);
    assert.equal(bad.text(), 'neurochaos: error: --out: cannot write\n');
    const sys = capture();
    const eacces = Object.assign(new Error("EACCES: permission denied, open '/x/journal.json'"), { code: 'EACCES' });
    assert.equal(reportError(eacces, sys.ctx), 1);
    assert.equal(sys.text(), "neurochaos: failed: EACCES: permission denied, open '/x/journal.json'\n");
    const bug = capture();
    assert.equal(reportError(new TypeError('x is undefined'), bug.ctx), 1);
    assert.match(bug.text(), /^neurochaos: failed: TypeError: x is undefined \(an unexpected error; NEUROCHAOS_DEBUG=1 shows where\)\n$/);
  });
});
