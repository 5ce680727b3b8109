import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { tempDir } from '../../helpers/temp-dir.js';

const DIST = fileURLToPath(new URL('../../../', import.meta.url));
const ROOT = join(DIST, '..');

/**
 * A copy of the built package whose shard worker cannot load, as after a
 * partial build or a broken install: the module has a syntax error. The
 * threads piscina starts for it die before they take any task, which piscina
 * reports as an 'error' event on the pool.
 */
function brokenBuild(): string {
  const dir = tempDir('neurochaos-broken-build-');
  cpSync(join(DIST, 'src'), join(dir, 'dist', 'src'), { recursive: true });
  cpSync(join(DIST, 'kernels'), join(dir, 'dist', 'kernels'), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(join(dir, 'dist', 'src', 'backends', 'workers', 'shard-worker.js'), 'export const = ; // truncated by a failed build\n');
  return dir;
}

/** Runs `body` in a child process against the broken copy; returns its exit status, stdout and stderr. */
function inChild(dir: string, body: string) {
  const src = (p: string) => JSON.stringify(new URL(`dist/src/${p}`, `file://${dir}/`).href);
  const code = `
    import { WorkersBackend } from ${src('backends/workers/workers-backend.js')};
    import { buildNetwork } from ${src('model/builder.js')};
    import { cubaSpec } from ${src('model/cuba.js')};
    const b = new WorkersBackend(buildNetwork(cubaSpec({ scale: 0.25 }), { seed: 1 }), { workers: 2 });
    const t0 = performance.now();
    const report = (what, e) => console.log(JSON.stringify({ what, ms: performance.now() - t0, error: e instanceof Error ? e.message : String(e) }));
    ${body}
    await b.dispose();
    console.log(JSON.stringify({ what: 'disposed', ms: performance.now() - t0 }));`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
}

const lines = (stdout: string) => stdout.trim().split('\n').map((l) => JSON.parse(l) as { what: string; ms: number; error?: string });

describe('WorkersBackend: a shard thread that cannot start', () => {
  const dir = brokenBuild();

  it('threadsReady rejects at once with the thread\'s error (not after its timeout), run() rejects with it, dispose() ends the process cleanly', () => {
    // Before, piscina's 'error' event had no listener: Node threw it from the event loop and the process died.
    const r = inChild(dir, `
      await b.threadsReady(50_000).then((ok) => report('ready ' + ok), (e) => report('threadsReady', e));
      await b.run(100).then((o) => report('ran ' + JSON.stringify(o)), (e) => report('run', e));`);
    assert.equal(r.status, 0, r.stderr);
    const [ready, run, disposed] = lines(r.stdout);
    assert.equal(ready.what, 'threadsReady', r.stdout);
    assert.match(ready.error ?? '', /workers backend: a shard thread died outside a chunk \(it failed to start, or crashed while idle\): .*(Unexpected token|SyntaxError|unexpected)/i);
    assert.ok(ready.ms < 25_000, `rejected after ${ready.ms} ms, not the 50 s timeout`);
    assert.equal(run.what, 'run');
    assert.equal(run.error, ready.error);
    assert.equal(disposed.what, 'disposed');
  });

  it('a run started before any thread was up ends with the error instead of waiting for ever', () => {
    // The session's tasks are queued for threads that never start: without the pool's error the run would never settle.
    const r = inChild(dir, `
      await b.run(1000).then((o) => report('ran ' + JSON.stringify(o)), (e) => report('run', e));
      await b.run(10).then((o) => report('ran ' + JSON.stringify(o)), (e) => report('again', e));`);
    assert.equal(r.status, 0, r.stderr);
    const [run, again, disposed] = lines(r.stdout);
    assert.equal(run.what, 'run', r.stdout);
    assert.match(run.error ?? '', /a shard thread died outside a chunk/);
    assert.deepEqual([again.what, again.error], ['again', run.error]);
    assert.equal(disposed.what, 'disposed');
  });

  it('the CLI fails with the cause named (exit 1), promptly, leaving no thread running', () => {
    const r = spawnSync(process.execPath, [join(dir, 'bin', 'neurochaos.js'), 'simulate', '--model', 'cuba', '--duration', '100'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
    // A thread left retrying would keep the process alive until spawnSync's timeout killed it (status null).
    assert.equal(r.status, 1, r.stderr);
    assert.match(r.stderr, /neurochaos: failed: workers backend: a shard thread died outside a chunk/);
  });
});
