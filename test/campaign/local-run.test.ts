import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawn } from 'node:child_process';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TINY_CAMPAIGN } from './helpers.js';
import { jobHash, type CampaignJob } from '../../src/campaign/job.js';
import { loadCampaign } from '../../src/campaign/load-campaign.js';
import { ResultStore } from '../../src/campaign/result-store.js';
import { JobPool } from '../../src/campaign/local-pool.js';
import { poolWorkDir, runLocal } from '../../src/campaign/run-local.js';

const dir = tempDir('neurochaos-campaign-local-');

test('a tiny campaign on a user model runs on the local pool, writes every output, and a rerun resumes without running a job', async () => {
  const out = join(dir, 'run');
  const first = await runCli(['campaign', TINY_CAMPAIGN, '--out', out, '--concurrency', '2', '--json']);
  assert.equal(first.code, 0, first.stderr);
  const s1 = JSON.parse(first.stdout);
  assert.equal(s1.ran, 24);
  assert.equal(s1.resumed, 0);
  for (const f of ['results.csv', 'results.json', 'summary.md', 'report.html']) assert.ok(existsSync(join(out, f)), f);
  const csv = readFileSync(join(out, 'results.csv'), 'utf8');
  const rows = csv.trim().split('\n');
  assert.equal(rows[0], 'sweep,params,backend,defences,seed,measure,value,count,of,job');
  // Every job records its verdict, recovery and both spike measures.
  for (const key of ['verdict.pass', 'recovery.ms', 'recovery.recovered', 'rate-deviation.hz', 'van-rossum.per-neuron']) assert.equal(rows.filter((r) => r.split(',')[5] === key).length, 24, key);
  // The fault moves the spikes: half of the largest corruption's rate deviations exceed the smallest's mean.
  const dev = (p: string) => rows.filter((r) => r.includes(p) && r.includes('rate-deviation.hz')).map((r) => Number(r.split(',')[6]));
  const mean = (xs: number[]) => xs.reduce((a, x) => a + x, 0) / xs.length;
  assert.ok(mean(dev('mode=sign-flip;fraction=0.5,')) > mean(dev('mode=sign-flip;fraction=0.01,')), 'more corruption, more deviation');
  const svgs = readdirSync(join(out, 'figures'));
  assert.ok(svgs.length >= 5, svgs.join(', '));
  const svg = readFileSync(join(out, 'figures', 'corruption_verdict.pass.svg'), 'utf8');
  assert.match(svg, /prefers-color-scheme: dark/);
  assert.match(svg, /class="bg"/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.equal(html.match(/<svg /g)?.length, svgs.length);

  const second = await runCli(['campaign', TINY_CAMPAIGN, '--out', out, '--concurrency', '2', '--json']);
  assert.equal(second.code, 0, second.stderr);
  const s2 = JSON.parse(second.stdout);
  assert.equal(s2.ran, 0, 'no job runs again');
  assert.equal(s2.resumed, 24);
  assert.equal(readFileSync(join(out, 'results.csv'), 'utf8'), csv, 'the same table from stored results');
});

test('Ctrl-C stops a campaign cleanly (exit 130, finished jobs kept) and the rerun runs only the rest', async () => {
  const out = join(dir, 'interrupted');
  const child = spawn(process.execPath, [BIN, 'campaign', TINY_CAMPAIGN, '--out', out, '--concurrency', '1', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  const stored = () => (existsSync(join(out, 'results')) ? readdirSync(join(out, 'results')).flatMap((d) => readdirSync(join(out, 'results', d))).filter((f) => f.endsWith('.json')).length : 0);
  let sent = false;
  const poll = setInterval(() => {
    if (!sent && stored() >= 3) {
      sent = true;
      child.kill('SIGINT');
    }
  }, 50);
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  clearInterval(poll);
  assert.equal(code, 130, stderr);
  const s1 = JSON.parse(stdout);
  assert.equal(s1.interrupted, true);
  const kept = stored();
  assert.ok(kept >= 3 && kept < 24, `kept ${kept}`);
  assert.equal(s1.unfinished, 24 - kept);
  assert.equal(readdirSync(out).filter((f) => f.endsWith('.tmp')).length, 0);
  const second = await runCli(['campaign', TINY_CAMPAIGN, '--out', out, '--concurrency', '2', '--json']);
  assert.equal(second.code, 0, second.stderr);
  const s2 = JSON.parse(second.stdout);
  assert.equal(s2.resumed, kept);
  assert.equal(s2.ran, 24 - kept);
});

test('a job that fails on its input is reported with its error, stored, and not run again', async () => {
  const out = join(dir, 'input-error');
  const c = loadCampaign(TINY_CAMPAIGN);
  // A job as a stranger might send it: its fault names a population the model lacks.
  const bad = structuredClone(c.jobs[0].job) as CampaignJob;
  ((bad.scenario.experiments as { fault: Record<string, unknown> }[])[0].fault).source = 'Q';
  const entry = { ...c.jobs[0], job: bad, hash: jobHash(bad) };
  const campaign = { ...c, jobs: [entry, c.jobs[1]] };
  const failures: string[] = [];
  const run = await runLocal(campaign, { outDir: out, concurrency: 2, onFailure: (_e, error, retried) => failures.push(`${retried}:${error}`) });
  assert.equal(run.ran, 2);
  assert.deepEqual(run.crashed, []);
  const r = run.results.get(entry.hash)!;
  assert.equal(r.status, 'input-error');
  assert.match(r.error!, /unknown population "Q"/);
  assert.equal(failures.length, 1);
  assert.match(failures[0], /^false:.*unknown population "Q"/);
  assert.equal(run.results.get(c.jobs[1].hash)!.status, 'ok');
  assert.equal(new ResultStore(join(out, 'results')).get(entry.hash)?.status, 'input-error');
  const again = await runLocal(campaign, { outDir: out, concurrency: 2 });
  assert.equal(again.ran, 0, 'a job that failed on its input is not retried');
  assert.equal(again.resumed, 2);
});

test('a pool process killed mid-job takes only that job: it is reported with why, the pool replaces the process and runs the rest, and a rerun runs only that job', async () => {
  const out = join(dir, 'crash');
  const c = loadCampaign(TINY_CAMPAIGN);
  const campaign = { ...c, jobs: c.jobs.slice(0, 4) };
  const store = new ResultStore(join(out, 'results'));
  const pool = new JobPool(1, poolWorkDir(out));
  const failures: string[] = [];
  let killed: number | null = null;
  try {
    await pool.ready();
    const first = pool.pids()[0];
    // Once the first job is stored, the one process is in the middle of the second: kill it there.
    const watch = setInterval(() => {
      if (killed === null && campaign.jobs.some((e) => store.has(e.hash))) {
        killed = first;
        process.kill(first, 'SIGKILL');
      }
    }, 5);
    const run = await runLocal(campaign, { outDir: out, concurrency: 1, pool, onFailure: (_e, error, retried) => failures.push(`${retried}:${error}`) });
    clearInterval(watch);
    assert.equal(killed, first);
    assert.notEqual(pool.pids()[0], first, 'the killed process was replaced');
    assert.equal(run.crashed.length, 1);
    assert.match(run.crashed[0].error, /the job's process ended \(SIGKILL\)/);
    assert.deepEqual(failures, [`true:${run.crashed[0].error}`]);
    assert.equal(run.ran, 3, 'the other jobs ran on the replacement');
    assert.ok(!store.has(run.crashed[0].entry.hash), 'a crashed job stores nothing');
    // The same persistent pool serves another run: the rerun runs only the crashed job.
    const again = await runLocal(campaign, { outDir: out, concurrency: 1, pool });
    assert.equal(again.ran, 1);
    assert.equal(again.resumed, 3);
    assert.deepEqual(again.crashed, []);
    assert.equal(again.results.get(run.crashed[0].entry.hash)?.status, 'ok');
  } finally {
    await pool.close();
  }
});

test('results do not depend on which process ran a job or what it ran before: one process for all, or two, give the same stored results', async () => {
  const c = loadCampaign(TINY_CAMPAIGN);
  const campaign = { ...c, jobs: c.jobs.slice(0, 6) };
  const one = await runLocal(campaign, { outDir: join(dir, 'one'), concurrency: 1 });
  // Reversed: each process now meets the jobs in another order, after other jobs (and other reference runs).
  const two = await runLocal({ ...campaign, jobs: [...campaign.jobs].reverse() }, { outDir: join(dir, 'two'), concurrency: 2 });
  assert.equal(one.ran, 6);
  assert.equal(two.ran, 6);
  for (const e of campaign.jobs) assert.deepEqual(two.results.get(e.hash), one.results.get(e.hash), e.hash);
});
