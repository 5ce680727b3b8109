/**
 * How much CPU V8's background threads (concurrent compilation, parallel and
 * concurrent GC) take per campaign job once a process has run some jobs:
 * `node dist/bench/campaign/job-background.js [WARM] [JOBS] [SKIP]` runs
 * WARM jobs of bench/campaign/warmup.campaign.yaml, then SKIP and then JOBS
 * jobs of bench/campaign/throughput.campaign.yaml in this one process, as a
 * pool process runs them (reference groups together, the caches of
 * src/campaign/job-child.ts), and prints the main thread's and the
 * background threads' CPU over the last JOBS (from /proc/self/task).
 * Why: with one pool process per core, a process's background threads take
 * the other process's core, so they bound the pool's speed-up; and they
 * shrink as a process runs more jobs (V8 compiles a function called once
 * per job only after several jobs), which decides how long the campaign
 * bench's warm-up must be to read a long campaign's steady rate
 * (docs/campaigns.md, "Performance: what bounds the pool").
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeVersion } from '../../src/campaign/code-version.js';
import { loadCampaign } from '../../src/campaign/load-campaign.js';
import { NetworkCache } from '../../src/campaign/network-cache.js';
import { ReferenceCache } from '../../src/campaign/reference-run.js';
import { runJob } from '../../src/campaign/run-job.js';
import { dispatchOrder } from '../../src/campaign/run-tally.js';
import { InputError } from '../../src/util/errors.js';
import { strictInteger } from '../run-options.js';

const file = (name: string) => fileURLToPath(new URL(`../../../bench/campaign/${name}`, import.meta.url));
const warm = loadCampaign(file('warmup.campaign.yaml'));
const clocked = loadCampaign(file('throughput.campaign.yaml'));

function arg(i: number, name: string, fallback: number, max: number): number {
  const raw = process.argv[2 + i];
  const v = raw === undefined ? fallback : strictInteger(raw);
  if (v === null || v > max) {
    process.stderr.write(`job-background: ${new InputError(name, `must be an integer in [0, ${max}] (got ${JSON.stringify(raw)})`).message}\n`);
    process.exit(2);
  }
  return v;
}
const warmJobs = arg(0, 'WARM', 8, warm.jobs.length);
const jobs = arg(1, 'JOBS', 12, clocked.jobs.length);
const skip = arg(2, 'SKIP', 0, clocked.jobs.length - jobs);

/** CPU ms of this process's main thread and of its other threads (V8's platform workers and libuv's). */
function threadCpuMs(): { main: number; background: number } {
  const out = { main: 0, background: 0 };
  for (const t of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in clock ticks of 10 ms
    if (Number(t) === process.pid) out.main += ms;
    else out.background += ms;
  }
  return out;
}

const workDir = mkdtempSync(join(tmpdir(), 'neurochaos-job-background-'));
try {
  const options = { workDir, codeVersion: codeVersion(), references: new ReferenceCache(), networks: new NetworkCache() };
  for (const { entry } of dispatchOrder(warm.jobs).slice(0, warmJobs)) await runJob(entry.job, options);
  const order = dispatchOrder(clocked.jobs);
  for (const { entry } of order.slice(0, skip)) await runJob(entry.job, options);
  const before = threadCpuMs();
  for (const { entry } of order.slice(skip, skip + jobs)) await runJob(entry.job, options);
  const after = threadCpuMs();
  const main = after.main - before.main;
  const background = after.background - before.background;
  process.stdout.write(`after ${warmJobs + skip} jobs, ${jobs} jobs: main thread ${main} ms, background threads ${background} ms (${(background / Math.max(1, jobs)).toFixed(0)} ms per job) [${process.execArgv.join(' ')}]\n`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
