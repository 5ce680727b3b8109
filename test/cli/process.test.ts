import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { main, reportError } from '../../src/cli/main.js';
import { interruptHandler } from '../../src/cli/process-main.js';
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

  it('interrupts: the first stops cleanly, a second runs every forced-exit hook and exits with 130', () => {
    const said: string[] = [];
    const calls: string[] = [];
    const hooks = new Set<() => void>([
      () => {
        calls.push('a');
        throw new Error('disk gone');
      },
      () => void calls.push('b'),
    ]);
    const onSignal = interruptHandler({ abort: () => calls.push('abort'), beforeForcedExit: hooks, stderr: { write: (t: string) => said.push(t) }, exit: (code) => calls.push(`exit ${code}`) });
    onSignal('SIGINT');
    assert.deepEqual(calls, ['abort']);
    assert.match(said.join(''), /SIGINT received, stopping cleanly \(again to force\)/);
    onSignal('SIGTERM');
    // A hook that fails is reported and the others still run; the exit comes last.
    assert.deepEqual(calls, ['abort', 'a', 'b', 'exit 130']);
    assert.match(said.join(''), /second SIGTERM, exiting now/);
    assert.match(said.join(''), /could not save on the way out: disk gone/);
  });

  it('a forced exit during a run writes the journal of the experiments that finished', async () => {
    const dir = tempDir();
    const file = writeTinyScenario(dir, 'two', [{ id: 'short' }, { id: 'endless', observationMs: 1_000_000 }], ['batch: 4']);
    const out = join(dir, 'out');
    const stream = { write: () => true } as unknown as NodeJS.WriteStream;
    let stderr = '';
    const errStream = { write: (t: string) => ((stderr += t), true) } as unknown as NodeJS.WriteStream;
    const controller = new AbortController();
    const beforeForcedExit = new Set<() => void>();
    const running = main(['run', file, '--out', out], { stdout: stream, stderr: errStream, signal: controller.signal, beforeForcedExit });
    // The second experiment's recording exists once the first has finished.
    for (let waited = 0; !existsSync(join(out, 'recordings', 'endless.spikes')) && waited < 120_000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    // What a second Ctrl-C does before it exits (interruptHandler above): every hook the command registered.
    assert.ok(beforeForcedExit.size > 0, 'run registers a forced-exit hook');
    for (const hook of beforeForcedExit) hook();
    assert.match(stderr, /journal of the 1 finished experiment\(s\) written to .*journal\.json/);
    const journal = JSON.parse(readFileSync(join(out, 'journal.json'), 'utf8'));
    assert.equal(journal.status, 'interrupted');
    assert.deepEqual(journal.experiments.map((e: { id: string }) => e.id), ['short']);
    assert.equal(journal.experiments[0].status, 'completed');
    assert.equal(typeof journal.report.overall, 'number');
    controller.abort();
    assert.equal(await running, 130);
  });

  it('a Ctrl-C at any moment of the start is never lost: exit 130 (or, before Node runs the CLI at all, death by SIGINT), never a run to the end', async () => {
    // A signal pending while the start-up's early handler gave way to the CLI's own used to be dropped
    // (Node closes a signal's watcher with its last listener): the command then ran to its end, exit 0.
    const outcomes: string[] = [];
    for (const atMs of [40, 80, 120, 160, 200, 250, 300, 350, 400, 500, 600]) {
      const child = spawn(process.execPath, [BIN, 'simulate', '--model', 'cuba', '--duration', '100000'], { stdio: 'ignore' });
      const timer = setTimeout(() => child.kill('SIGINT'), atMs);
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
      clearTimeout(timer);
      outcomes.push(`${atMs} ms: ${code ?? signal}`);
    }
    assert.ok(outcomes.every((o) => / (130|SIGINT)$/.test(o)), outcomes.join(', '));
    assert.ok(outcomes.some((o) => / 130$/.test(o)), `the CLI's handlers never answered: ${outcomes.join(', ')}`);
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
