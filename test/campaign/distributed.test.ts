import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TINY_CAMPAIGN } from './helpers.js';
import { haveRedis, REDIS_SERVER, startRedis, type TestRedis } from './redis-server.js';

const dir = tempDir('neurochaos-campaign-dist-');
const skip = haveRedis ? false : `${REDIS_SERVER} is not installed (apt-get install -y redis-server)`;

/** A real worker process on the test's Redis, with a 2 s lock so a killed worker's job is back in the queue within seconds. */
function startWorker(url: string, name: string, extraEnv: NodeJS.ProcessEnv = {}, extraArgs: string[] = []): { proc: ChildProcess; log: () => string; started: Promise<void> } {
  const proc = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--concurrency', '1', '--lock-ms', '2000', '--out', join(dir, name), ...extraArgs], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...extraEnv } });
  let log = '';
  let ready: () => void = () => {};
  const started = new Promise<void>((r) => (ready = r));
  proc.stderr!.on('data', (d) => {
    log += d;
    if (/worker ready/.test(log)) ready();
  });
  return { proc, log: () => log, started };
}

function stop(p: ChildProcess): Promise<void> {
  if (p.exitCode !== null || p.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((r) => p.once('exit', () => r()));
  p.kill('SIGKILL');
  return exited;
}

let redis: TestRedis | null = null;
const workers: ChildProcess[] = [];
after(async () => {
  for (const w of workers) await stop(w);
  await redis?.stop();
});

test('distributed through BullMQ with 2 worker processes, one SIGKILLed mid-job: the result table is byte-identical to the local run', { skip, timeout: 120_000 }, async () => {
  const local = await runCli(['campaign', TINY_CAMPAIGN, '--out', join(dir, 'local'), '--concurrency', '2']);
  assert.equal(local.code, 0, local.stderr);
  redis = await startRedis();
  const a = startWorker(redis.url, 'wa');
  const b = startWorker(redis.url, 'wb');
  workers.push(a.proc, b.proc);
  await Promise.all([a.started, b.started]);
  // Kill worker a in the middle of its second job: the job's lock lapses and worker b's stalled check puts it back.
  let killedJob: string | null = null;
  const watch = setInterval(() => {
    const started = [...a.log().matchAll(/job ([0-9a-f]{64}) \(\w+\) started/g)];
    if (!killedJob && started.length >= 2) {
      const last = started[started.length - 1][1];
      if (!a.log().includes(`job ${last} done`)) {
        killedJob = last;
        a.proc.kill('SIGKILL');
      }
    }
  }, 5);
  const dist = await runCli(['campaign', TINY_CAMPAIGN, '--out', join(dir, 'dist'), '--queue', redis.url, '--json']);
  clearInterval(watch);
  assert.equal(dist.code, 0, dist.stderr);
  assert.ok(killedJob, `worker a was killed mid-job; its log:\n${a.log()}`);
  assert.equal(a.proc.signalCode, 'SIGKILL');
  assert.match(b.log(), new RegExp(`job ${killedJob} \\(\\w+\\) started`), 'the killed job was retried on the other worker');
  const s = JSON.parse(dist.stdout);
  assert.equal(s.ran, 24);
  assert.equal(readFileSync(join(dir, 'dist', 'results.csv'), 'utf8'), readFileSync(join(dir, 'local', 'results.csv'), 'utf8'));
  // The same curves (means and intervals) and the same figures, drawn from the user's model swept both ways.
  const curves = (run: string) => JSON.parse(readFileSync(join(dir, run, 'results.json'), 'utf8')).curves;
  assert.ok(curves('local').length > 0);
  assert.deepEqual(curves('dist'), curves('local'));
  const figures = readdirSync(join(dir, 'local', 'figures')).sort();
  assert.deepEqual(readdirSync(join(dir, 'dist', 'figures')).sort(), figures);
  for (const f of figures) assert.equal(readFileSync(join(dir, 'dist', 'figures', f), 'utf8'), readFileSync(join(dir, 'local', 'figures', f), 'utf8'), f);
  // The surviving worker wrote only inside its own folder, and removed each job's files when the job ended.
  assert.deepEqual(readdirSync(join(dir, 'wb')), []);
  // Submitting again finds every job finished in Redis: nothing is added, the results are collected.
  const collected = await runCli(['campaign', 'collect', TINY_CAMPAIGN, '--out', join(dir, 'collected'), '--queue', redis.url, '--json']);
  assert.equal(collected.code, 0, collected.stderr);
  assert.equal(readFileSync(join(dir, 'collected', 'results.csv'), 'utf8'), readFileSync(join(dir, 'local', 'results.csv'), 'utf8'));
});

test('a password-protected Redis: the worker and the submitter read the password from the environment', { skip, timeout: 60_000 }, async () => {
  const secured = await startRedis({ password: 'correct horse' });
  try {
    const env = { NEUROCHAOS_REDIS_PASSWORD: 'correct horse' };
    const w = startWorker(secured.url, 'wp', env);
    workers.push(w.proc);
    await w.started;
    const out = join(dir, 'password');
    const r = await runCli(['campaign', TINY_CAMPAIGN, '--out', out, '--queue', secured.url, '--json'], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stderr.includes('correct horse') && !w.log().includes('correct horse'), 'the password is never printed');
    assert.equal(readFileSync(join(out, 'results.csv'), 'utf8'), readFileSync(join(dir, 'local', 'results.csv'), 'utf8'));
    await stop(w.proc);
    const refused = await runCli(['campaign', TINY_CAMPAIGN, '--out', join(dir, 'nopass'), '--queue', secured.url, '--json'], { env: { NEUROCHAOS_REDIS_PASSWORD: '' } });
    assert.notEqual(refused.code, 0);
  } finally {
    await secured.stop();
  }
});
