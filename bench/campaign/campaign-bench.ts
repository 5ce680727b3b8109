import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { getPriority, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCurves, resultRows } from '../../src/campaign/curves.js';
import { loadCampaign, type Campaign } from '../../src/campaign/load-campaign.js';
import { resultsCsv } from '../../src/campaign/outputs.js';
import { checkQueueReachable, DEFAULT_QUEUE_NAME, parseQueueUrl } from '../../src/campaign/queue-connection.js';
import { JobPool } from '../../src/campaign/local-pool.js';
import { runDistributed } from '../../src/campaign/run-distributed.js';
import { runLocal } from '../../src/campaign/run-local.js';
import type { CampaignRun } from '../../src/campaign/run-tally.js';
import { freePort } from '../../test/campaign/redis-server.js';

const WORKLOAD = fileURLToPath(new URL('../../../bench/campaign/throughput.campaign.yaml', import.meta.url));
const BIN = fileURLToPath(new URL('../../../bin/neurochaos.js', import.meta.url));

interface Measurement {
  round: number;
  setup: 'local 1' | 'local 2' | 'distributed 2';
  jobs: number;
  /** Starting the setup's processes until every one can take a job (before the clock). */
  startupSeconds: number;
  wallSeconds: number;
  jobsPerHour: number;
  loadBefore: number;
  loadAfter: number;
}

/** Runs the workload's jobs in a fresh folder (nothing resumed) and returns the wall seconds and the result table. */
async function timed(c: Campaign, run: (outDir: string) => Promise<CampaignRun>): Promise<{ wallSeconds: number; csv: string; ran: number }> {
  const out = mkdtempSync(join(tmpdir(), 'neurochaos-campaign-bench-'));
  try {
    const t0 = performance.now();
    const r = await run(out);
    const wallSeconds = (performance.now() - t0) / 1000;
    if (r.ran !== new Set(c.jobs.map((j) => j.hash)).size) throw new Error(`ran ${r.ran} of ${c.jobs.length} jobs`);
    const rows = resultRows(c, r.results, { wallClock: false });
    buildCurves(c, rows);
    return { wallSeconds, csv: resultsCsv(rows), ran: r.ran };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** A private redis-server on loopback; `startWorkers(n)` starts n worker processes (one job at a time each) and resolves when they are ready (their job processes started); stopWorkers() ends them; stop() ends everything. */
async function startCluster(): Promise<{ url: string; startWorkers: (n: number) => Promise<void>; stopWorkers: () => Promise<void>; stop: () => Promise<void> }> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'neurochaos-bench-redis-'));
  const redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const url = `redis://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      await checkQueueReachable(parseQueueUrl(url), 'redis', 500);
      break;
    } catch (e) {
      if (i > 50) throw e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const workers: ChildProcess[] = [];
  const startWorkers = (n: number) =>
    Promise.all(
      Array.from({ length: n }, (_, i) => {
        const w = spawn(process.execPath, [BIN, 'worker', '--queue', url, '--concurrency', '1', '--out', join(dir, `w${i}`)], { stdio: ['ignore', 'ignore', 'pipe'] });
        workers.push(w);
        return new Promise<void>((resolve) => {
          let log = '';
          w.stderr!.on('data', (d) => {
            log += d;
            if (log.includes('worker ready')) resolve();
          });
        });
      }),
    ).then(() => undefined);
  const kill = async (p: ChildProcess) => {
    if (p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  return {
    url,
    startWorkers,
    async stopWorkers() {
      for (const w of workers.splice(0)) await kill(w);
    },
    async stop() {
      for (const p of [...workers.splice(0), redis]) await kill(p);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The campaign suite: jobs per hour of the workload (single-threaded cpu jobs)
 * on the local pool with 1 and 2 processes, and distributed through BullMQ on
 * a local Redis with 2 worker processes, interleaved over `rounds` rounds so
 * that a change in the machine's load hits all three alike. Ratios: local 2
 * vs 1 (target >= 1.8 on 2 cores) and distributed 2 vs local 2 (target >= 0.9).
 * Also checks that the three result tables are byte-identical.
 */
export async function runCampaignBench(resultsDir: string, machine: Record<string, unknown>, log: (line: string) => void, quick: boolean): Promise<void> {
  const c = loadCampaign(WORKLOAD);
  const jobs = new Set(c.jobs.map((j) => j.hash)).size;
  const rounds = quick ? 1 : 2;
  log(`  workload: ${c.spec.title}, ${jobs} jobs (microcircuit scale ${c.spec.model.scale}, k-scale ${c.spec.model.kScale}, cpu backend), ${rounds} round(s)`);
  const measurements: Measurement[] = [];
  const tables = new Set<string>();
  for (let round = 1; round <= rounds; round++) {
    // A fresh Redis each round: an earlier round's finished jobs would be collected, not run.
    const cluster = await startCluster();
    try {
      const connection = parseQueueUrl(cluster.url);
      // Every setup's processes are started and ready before the clock (local pools and queue workers alike): a
      // campaign starts them once, so jobs per hour is the pool's steady rate. Their start-up is measured apart.
      const localPool = (n: number) => async () => {
        const work = mkdtempSync(join(tmpdir(), 'neurochaos-bench-pool-'));
        const pool = new JobPool(n, work);
        await pool.ready();
        const stop = async () => {
          await pool.close();
          rmSync(work, { recursive: true, force: true });
        };
        return { run: (out: string) => runLocal(c, { outDir: out, concurrency: n, pool }), stop };
      };
      const setups: [Measurement['setup'], () => Promise<{ run: (out: string) => Promise<CampaignRun>; stop: () => Promise<void> }>][] = [
        ['local 1', localPool(1)],
        ['local 2', localPool(2)],
        ['distributed 2', async () => {
          await cluster.startWorkers(2);
          return { run: (out) => runDistributed(c, { outDir: out, connection, queueName: DEFAULT_QUEUE_NAME }), stop: () => cluster.stopWorkers() };
        }],
      ];
      for (const [setup, start] of setups) {
        const t0 = performance.now();
        const { run, stop } = await start();
        const startupSeconds = (performance.now() - t0) / 1000;
        const loadBefore = loadavg()[0];
        let r: Awaited<ReturnType<typeof timed>>;
        try {
          r = await timed(c, run);
        } finally {
          await stop();
        }
        tables.add(r.csv);
        const m: Measurement = { round, setup, jobs: r.ran, startupSeconds, wallSeconds: r.wallSeconds, jobsPerHour: (r.ran / r.wallSeconds) * 3600, loadBefore, loadAfter: loadavg()[0] };
        measurements.push(m);
        log(`  round ${round}, ${setup}: ${r.ran} jobs in ${r.wallSeconds.toFixed(1)} s = ${m.jobsPerHour.toFixed(0)} jobs/h (start-up ${startupSeconds.toFixed(2)} s before the clock; load ${loadBefore.toFixed(1)} -> ${m.loadAfter.toFixed(1)})`);
      }
    } finally {
      await cluster.stop();
    }
  }
  const total = (s: Measurement['setup']) => {
    const ms = measurements.filter((m) => m.setup === s);
    return ms.reduce((a, m) => a + m.jobs, 0) / ms.reduce((a, m) => a + m.wallSeconds, 0);
  };
  // With each setup's start-up counted in (a run that starts its processes and does only these jobs): what a campaign this short sees.
  const totalCold = (s: Measurement['setup']) => {
    const ms = measurements.filter((m) => m.setup === s);
    return ms.reduce((a, m) => a + m.jobs, 0) / ms.reduce((a, m) => a + m.wallSeconds + m.startupSeconds, 0);
  };
  const localSpeedup = total('local 2') / total('local 1');
  const queueRatio = total('distributed 2') / total('local 2');
  const localSpeedupCold = totalCold('local 2') / totalCold('local 1');
  const queueRatioCold = totalCold('distributed 2') / totalCold('local 2');
  const identical = tables.size === 1;
  log(`  local pool 2 vs 1: ${localSpeedup.toFixed(2)}x (target >= 1.8; ${localSpeedupCold.toFixed(2)}x with start-up); distributed 2 vs local 2: ${queueRatio.toFixed(2)} (target >= 0.90; ${queueRatioCold.toFixed(2)} with start-up); result tables identical: ${identical}`);
  const m = machine as { cpu: string; cores: number; memoryGiB: number; node: string; date: string; loadAverage: number[] };
  // Recorded because it is a setting of the measurement (the pool's processes inherit it).
  const niceness = getPriority();
  const command = `${niceness !== 0 ? `nice -n ${niceness} ` : ''}npm run bench -- --suite campaign${quick ? ' --quick' : ''}`;
  const name = `campaign${quick ? '-quick' : ''}`;
  writeFileSync(join(resultsDir, `${name}.json`), `${JSON.stringify({ machine, command, workload: c.spec, jobs, niceness, measurements, localSpeedup, queueRatio, localSpeedupCold, queueRatioCold, identical }, null, 2)}\n`);
  const md = [
    `# Campaign throughput${quick ? ' (quick)' : ''}`,
    '',
    `Command: \`${command}\`. Measured ${m.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}; load average at the start ${m.loadAverage.map((x) => x.toFixed(1)).join(' / ')} (a machine shared with other work: read the ratios, which come from one run with the setups interleaved)${niceness !== 0 ? `; the suite ran at nice ${niceness} (with the kernel's autogroup scheduling that changes little against other sessions' work)` : ''}.`,
    '',
    `Workload: \`bench/campaign/throughput.campaign.yaml\`, ${jobs} jobs, each one experiment on the single-threaded cpu backend (microcircuit scale ${c.spec.model.scale}, k-scale ${c.spec.model.kScale}, judge.trials ${c.spec.judge?.trials ?? 1}: a treated replica and its unfaulted twin per trial) plus its unfaulted reference run. Distributed: BullMQ on a redis-server on 127.0.0.1, 2 \`neurochaos worker --concurrency 1\` processes. Every setup's processes (the local pool's persistent job processes; the workers, each with its job process) are started and ready before the clock, as a campaign starts them once: jobs/hour is the steady rate; the start-up column is that one-time cost, measured apart. Each process's first job still carries the JIT's warm-up.`,
    '',
    '| round | setup | jobs | start-up s (before the clock) | wall s | jobs/hour | load before | load after |',
    '|---|---|---|---|---|---|---|---|',
    ...measurements.map((x) => `| ${x.round} | ${x.setup} | ${x.jobs} | ${x.startupSeconds.toFixed(2)} | ${x.wallSeconds.toFixed(1)} | ${x.jobsPerHour.toFixed(0)} | ${x.loadBefore.toFixed(1)} | ${x.loadAfter.toFixed(1)} |`),
    '',
    `- Local pool, 2 processes vs 1: **${localSpeedup.toFixed(2)}x** jobs per hour (target >= 1.8x); counting each setup's start-up in, ${localSpeedupCold.toFixed(2)}x.`,
    `- Distributed, 2 workers vs the local pool of 2: **${queueRatio.toFixed(2)}** (target: within 10%, >= 0.90); counting start-up in, ${queueRatioCold.toFixed(2)}.`,
    `- The result tables of every setup and round are byte-identical: ${identical ? 'yes' : 'NO'}.`,
    '',
  ];
  writeFileSync(join(resultsDir, `${name}.md`), md.join('\n'));
  log(`  wrote bench/results/${name}.json and .md`);
}
