import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { dispatchOrder, type CampaignRun } from '../../src/campaign/run-tally.js';
import { freePort, REDIS_SERVER } from '../../test/campaign/redis-server.js';

/** The workload the targets are read from, and the earlier, shorter one, measured beside it (the workload files say why). */
const WORKLOADS = [
  {
    name: 'throughput',
    role: 'target',
    file: fileURLToPath(new URL('../../../bench/campaign/throughput.campaign.yaml', import.meta.url)),
    warmup: fileURLToPath(new URL('../../../bench/campaign/warmup.campaign.yaml', import.meta.url)),
    why: 'Jobs as the repository\'s own campaign runs them (campaigns/degradation.yaml: its model, experiment, measures and task), about 0.3 s each on one process once warm (7.1-7.5 s for the 24 on 2026-12-01 at 02:00; 10.3-10.8 s at 00:54, before the machine was restarted; 0.8 s before the weight scrubber compared blocks with memcmp), 12 per process with 2. Why it replaced the short jobs as the target\'s workload: a real campaign runs hundreds of jobs per process, so a process\'s one-time JIT warm-up (V8 compiles the engine over its first 8 or so jobs, on a background thread) vanishes there; in 6 short jobs per process it was most of the background work, paid once by one process and twice by two. Since 2026-12-01 that warm-up runs before the clock (bench/campaign/warmup.campaign.yaml); before, the clock carried it, about 4% of a process\'s work over its 12 jobs and a sixth of the background threads\' CPU.',
  },
  {
    name: 'short-jobs',
    role: 'earlier workload',
    file: fileURLToPath(new URL('../../../bench/campaign/short-jobs.campaign.yaml', import.meta.url)),
    warmup: null,
    why: 'The target\'s workload until 2026-11-30 (12 jobs of about 0.4 s, no task accuracy), still measured so that its ratios can be compared with the earlier figures (1.51x, quiet machine, before the network cache and the pool flags).',
  },
] as const;
const BIN = fileURLToPath(new URL('../../../bin/neurochaos.js', import.meta.url));

/**
 * What the suite has started or made and not yet ended or removed. Ctrl-C or SIGTERM (and an exit) end and
 * remove all of it synchronously: the workers and redis-server have no IPC channel to notice the suite gone,
 * and a signal ends the process without running the `finally` blocks that remove the folders.
 */
const live = { processes: new Set<ChildProcess>(), pids: new Set<number>(), folders: new Set<string>() };

function scratchFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  live.folders.add(dir);
  return dir;
}

function removeFolder(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  live.folders.delete(dir);
}

function endAllNow(): void {
  let killed = 0;
  for (const p of live.processes) {
    if (p.exitCode === null && p.signalCode === null) {
      p.kill('SIGKILL');
      killed++;
    }
  }
  for (const pid of live.pids) {
    try {
      process.kill(pid, 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  // A worker's job process (its child, not ours) ends when it sees its parent gone, after the step it is in,
  // and may still write a recording into the worker's folder: give it half a second before removing the folders.
  if (killed > 0 && live.folders.size > 0) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  for (const dir of [...live.folders]) removeFolder(dir);
}

function onSignal(signal: NodeJS.Signals): void {
  endAllNow();
  process.exit(signal === 'SIGINT' ? 130 : 143);
}

/** CPU seconds of a local pool's job processes during the clock: their main threads and V8's background threads (compilers, GC), and the parent's. */
interface CpuSplit {
  jobMainSeconds: number;
  jobBackgroundSeconds: number;
  parentSeconds: number;
}

interface Measurement {
  workload: string;
  round: number;
  setup: 'local 1' | 'local 2' | 'distributed 2';
  jobs: number;
  /** Starting the setup's processes until every one can take a job (before the clock). */
  startupSeconds: number;
  /** The warm-up campaign's jobs on the same processes, before the clock (0 for a workload without one). */
  warmupSeconds: number;
  /** Jobs the warm-up ran (WARMUP_JOBS_PER_PROCESS per process; 0 without a warm-up). */
  warmupJobs: number;
  wallSeconds: number;
  jobsPerHour: number;
  loadBefore: number;
  loadAfter: number;
  /** Local setups on Linux (from /proc): where the job processes' CPU went. */
  cpu?: CpuSplit;
}

const CLOCK_TICKS = 100;

/** CPU seconds of a process's threads, split into its main thread and the others (Linux /proc; null elsewhere or when it is gone). */
function threadCpu(pid: number): { main: number; background: number } | null {
  try {
    let main = 0;
    let background = 0;
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const seconds = (Number(f[11]) + Number(f[12])) / CLOCK_TICKS;
      if (tid === String(pid)) main += seconds;
      else background += seconds;
    }
    return { main, background };
  } catch {
    return null;
  }
}

/** Starts counting the CPU of `pids` and of this process; the returned function gives what they used since (null without /proc). */
function cpuMeter(pids: number[]): () => CpuSplit | null {
  if (!existsSync('/proc/self/task')) return () => null;
  const before = pids.map(threadCpu);
  const parent = process.cpuUsage();
  return () => {
    const after = pids.map(threadCpu);
    if (before.some((b) => b === null) || after.some((a) => a === null)) return null;
    const p = process.cpuUsage(parent);
    return {
      jobMainSeconds: after.reduce((a, x, i) => a + x!.main - before[i]!.main, 0),
      jobBackgroundSeconds: after.reduce((a, x, i) => a + x!.background - before[i]!.background, 0),
      parentSeconds: (p.user + p.system) / 1e6,
    };
  };
}

/** Runs the workload's jobs in a fresh folder (nothing resumed) and returns the wall seconds and the result table. */
async function timed(c: Campaign, run: (outDir: string) => Promise<CampaignRun>, pids: number[]): Promise<{ wallSeconds: number; csv: string; ran: number; cpu: CpuSplit | null }> {
  const out = scratchFolder('neurochaos-campaign-bench-');
  try {
    const meter = pids.length ? cpuMeter(pids) : () => null;
    const t0 = performance.now();
    const r = await run(out);
    const wallSeconds = (performance.now() - t0) / 1000;
    const cpu = meter();
    if (r.ran !== new Set(c.jobs.map((j) => j.hash)).size) throw new Error(`ran ${r.ran} of ${c.jobs.length} jobs`);
    const rows = resultRows(c, r.results, { wallClock: false });
    buildCurves(c, rows);
    return { wallSeconds, csv: resultsCsv(rows), ran: r.ran, cpu };
  } finally {
    removeFolder(out);
  }
}

/** A private redis-server on loopback; `startWorkers(n)` starts n worker processes (one job at a time each) and resolves when they are ready (their job processes started); stopWorkers() ends them; stop() ends everything. */
async function startCluster(): Promise<{ url: string; startWorkers: (n: number) => Promise<void>; stopWorkers: () => Promise<void>; stop: () => Promise<void> }> {
  // A clear message rather than spawn's unhandled ENOENT half-way through the suite.
  if (!existsSync(REDIS_SERVER)) throw new Error(`the campaign suite's distributed setup needs Debian's redis-server at ${REDIS_SERVER} (apt-get install -y redis-server)`);
  const port = await freePort();
  const dir = scratchFolder('neurochaos-bench-redis-');
  const redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  live.processes.add(redis);
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
        live.processes.add(w);
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
      for (const w of workers.splice(0)) {
        await kill(w);
        live.processes.delete(w);
      }
    },
    async stop() {
      for (const p of [...workers.splice(0), redis]) {
        await kill(p);
        live.processes.delete(p);
      }
      removeFolder(dir);
    },
  };
}

/** Warm-up jobs each job process runs before the clock, whatever the setup's number of processes. */
export const WARMUP_JOBS_PER_PROCESS = 16;

/**
 * The warm-up campaign cut to `processes` x WARMUP_JOBS_PER_PROCESS distinct jobs, whole reference
 * groups in dispatch order, so that every process of every setup warms up on about as many jobs (the
 * local pool hands a free process a whole group at a time, BullMQ workers take jobs one by one: a
 * process that runs slower gets fewer). Why: V8 compiles the functions a job calls once
 * (buildNetwork, the readout's fit, the verdict's judges) only after a process has run several jobs;
 * with one warm-up campaign for every setup, the lone process warmed up on all of it and each of two
 * on half, so the pool of 2 compiled on the clock what the lone process had compiled before it.
 * @throws Error when the file holds fewer distinct jobs than that, or the cut would split a group
 */
export function warmupFor(warmup: Campaign, processes: number): Campaign {
  const want = processes * WARMUP_JOBS_PER_PROCESS;
  const seen = new Set<string>();
  const order = dispatchOrder(warmup.jobs).filter((o) => !seen.has(o.entry.hash) && seen.add(o.entry.hash));
  if (order.length < want) throw new Error(`${warmup.file} holds ${order.length} jobs; the campaign suite warms ${processes} process(es) on ${want}`);
  if (want < order.length && order[want].group === order[want - 1].group) throw new Error(`${warmup.file}: ${want} jobs end inside a reference group; its groups must divide ${WARMUP_JOBS_PER_PROCESS}`);
  const keep = new Set(order.slice(0, want).map((o) => o.entry.hash));
  return { ...warmup, jobs: warmup.jobs.filter((j) => keep.has(j.hash)) };
}

/** Jobs per hour of one workload's setups over `rounds` interleaved rounds. */
async function measureWorkload(w: (typeof WORKLOADS)[number], rounds: number, log: (line: string) => void): Promise<{ c: Campaign; jobs: number; warmupJobs: number; measurements: Measurement[]; identical: boolean }> {
  const c = loadCampaign(w.file);
  const warmup = w.warmup ? loadCampaign(w.warmup) : null;
  const jobs = new Set(c.jobs.map((j) => j.hash)).size;
  log(`  workload ${w.name} (${w.role}): ${c.spec.title}, ${jobs} jobs (microcircuit scale ${c.spec.model.scale}, k-scale ${c.spec.model.kScale}, cpu backend), ${rounds} round(s)`);
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
        const work = scratchFolder('neurochaos-bench-pool-');
        const pool = new JobPool(n, work);
        await pool.ready();
        const pids = pool.pids();
        for (const pid of pids) live.pids.add(pid);
        const stop = async () => {
          await pool.close();
          for (const pid of pids) live.pids.delete(pid);
          removeFolder(work);
        };
        return { run: (campaign: Campaign, out: string) => runLocal(campaign, { outDir: out, concurrency: n, pool }), stop, pids };
      };
      const setups: [Measurement['setup'], number, () => Promise<{ run: (campaign: Campaign, out: string) => Promise<CampaignRun>; stop: () => Promise<void>; pids: number[] }>][] = [
        ['local 1', 1, localPool(1)],
        ['local 2', 2, localPool(2)],
        ['distributed 2', 2, async () => {
          await cluster.startWorkers(2);
          return { run: (campaign, out) => runDistributed(campaign, { outDir: out, connection, queueName: DEFAULT_QUEUE_NAME }), stop: () => cluster.stopWorkers(), pids: [] };
        }],
      ];
      for (const [setup, processes, start] of setups) {
        const t0 = performance.now();
        const { run, stop, pids } = await start();
        const startupSeconds = (performance.now() - t0) / 1000;
        let warmupSeconds = 0;
        let warmupJobs = 0;
        let r: Awaited<ReturnType<typeof timed>>;
        let loadBefore: number;
        try {
          // The warm-up's jobs (another seed: nothing of it is cached for the clocked jobs, only V8's compiled code).
          if (warmup) {
            const jobs = warmupFor(warmup, processes);
            warmupJobs = jobs.jobs.length;
            warmupSeconds = (await timed(jobs, (out) => run(jobs, out), [])).wallSeconds;
          }
          loadBefore = loadavg()[0];
          r = await timed(c, (out) => run(c, out), pids);
        } finally {
          await stop();
        }
        tables.add(r.csv);
        const m: Measurement = { workload: w.name, round, setup, jobs: r.ran, startupSeconds, warmupSeconds, warmupJobs, wallSeconds: r.wallSeconds, jobsPerHour: (r.ran / r.wallSeconds) * 3600, loadBefore, loadAfter: loadavg()[0], ...(r.cpu ? { cpu: r.cpu } : {}) };
        measurements.push(m);
        const cpu = r.cpu ? `; CPU: job processes ${r.cpu.jobMainSeconds.toFixed(2)} s main + ${r.cpu.jobBackgroundSeconds.toFixed(2)} s V8 background, parent ${r.cpu.parentSeconds.toFixed(2)} s` : '';
        log(`  ${w.name} round ${round}, ${setup}: ${r.ran} jobs in ${r.wallSeconds.toFixed(1)} s = ${m.jobsPerHour.toFixed(0)} jobs/h (start-up ${startupSeconds.toFixed(2)} s${warmup ? ` and warm-up ${warmupSeconds.toFixed(1)} s` : ''} before the clock; load ${loadBefore.toFixed(1)} -> ${m.loadAfter.toFixed(1)}${cpu})`);
      }
    } finally {
      await cluster.stop();
    }
  }
  return { c, jobs, warmupJobs: warmup ? WARMUP_JOBS_PER_PROCESS : 0, measurements, identical: tables.size === 1 };
}

/** The ratios of one workload's measurements. */
function ratios(measurements: Measurement[]) {
  const total = (s: Measurement['setup'], withStartup: boolean) => {
    const ms = measurements.filter((m) => m.setup === s);
    // Counting the warm-up in counts its jobs too: a setup of 2 warms up on twice as many (warmupFor).
    return ms.reduce((a, m) => a + m.jobs + (withStartup ? m.warmupJobs : 0), 0) / ms.reduce((a, m) => a + m.wallSeconds + (withStartup ? m.startupSeconds + m.warmupSeconds : 0), 0);
  };
  // Each round's ratio (its setups ran back to back, so a drift of the machine's speed between rounds, 15-20% here,
  // cancels in it): their median is the headline, robust to one round that another process slowed.
  const rounds = [...new Set(measurements.map((m) => m.round))];
  const rate = (round: number, s: Measurement['setup']) => {
    const m = measurements.find((x) => x.round === round && x.setup === s)!;
    return m.jobs / m.wallSeconds;
  };
  const median = (xs: number[]) => {
    const v = [...xs].sort((a, b) => a - b);
    return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  };
  const localByRound = rounds.map((r) => rate(r, 'local 2') / rate(r, 'local 1'));
  const queueByRound = rounds.map((r) => rate(r, 'distributed 2') / rate(r, 'local 2'));
  // With each setup's start-up and warm-up counted in (a run that starts its processes and does the warm-up's jobs
  // and these): a lower bound of what a campaign this short sees.
  return {
    localSpeedup: median(localByRound),
    queueRatio: median(queueByRound),
    localByRound,
    queueByRound,
    localSpeedupPooled: total('local 2', false) / total('local 1', false),
    queueRatioPooled: total('distributed 2', false) / total('local 2', false),
    localSpeedupCold: total('local 2', true) / total('local 1', true),
    queueRatioCold: total('distributed 2', true) / total('local 2', true),
  };
}

/**
 * What bounds the pool, from the CPU split: with one process its main thread
 * sets the wall time (V8's background threads run on the idle core); with two
 * on two cores, main and background threads of both share the cores. The
 * ratio this predicts is 2 x (main, 1 process) / (main + background, 2 processes).
 */
function cpuBound(measurements: Measurement[]): { main1: number; background1: number; main2: number; background2: number; parent2: number; predicted: number } | null {
  const sum = (s: Measurement['setup'], f: (c: CpuSplit) => number) => {
    const ms = measurements.filter((m) => m.setup === s);
    if (ms.some((m) => !m.cpu)) return null;
    return ms.reduce((a, m) => a + f(m.cpu!), 0) / ms.length;
  };
  const main1 = sum('local 1', (c) => c.jobMainSeconds);
  const background1 = sum('local 1', (c) => c.jobBackgroundSeconds);
  const main2 = sum('local 2', (c) => c.jobMainSeconds);
  const background2 = sum('local 2', (c) => c.jobBackgroundSeconds);
  const parent2 = sum('local 2', (c) => c.parentSeconds);
  if (main1 === null || background1 === null || main2 === null || background2 === null || parent2 === null) return null;
  return { main1, background1, main2, background2, parent2, predicted: (2 * main1) / (main2 + background2) };
}

/**
 * The campaign suite: jobs per hour of the workloads (single-threaded cpu
 * jobs) on the local pool with 1 and 2 processes, and distributed through
 * BullMQ on a local Redis with 2 worker processes, interleaved over `rounds`
 * rounds so that a change in the machine's load hits all three alike.
 * Ratios (the median of the rounds' own ratios): local 2 vs 1 (target >= 1.8 on 2 cores) and distributed 2 vs
 * local 2 (target >= 0.9), read from the target workload; the earlier,
 * shorter workload is measured and reported beside it. Also checks that each
 * workload's result tables are byte-identical, and splits the local pools'
 * CPU (job processes' main and V8 background threads, the parent).
 */
export async function runCampaignBench(resultsDir: string, machine: Record<string, unknown>, log: (line: string) => void, quick: boolean, rounds: number): Promise<void> {
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.once('exit', endAllNow);
  try {
    await measureAndWrite(resultsDir, machine, log, quick, rounds);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', endAllNow);
  }
}

async function measureAndWrite(resultsDir: string, machine: Record<string, unknown>, log: (line: string) => void, quick: boolean, rounds: number): Promise<void> {
  const results = [];
  for (const w of WORKLOADS) {
    const r = await measureWorkload(w, rounds, log);
    const q = ratios(r.measurements);
    const bound = cpuBound(r.measurements);
    const byRound = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
    log(`  ${w.name}: local pool 2 vs 1: ${q.localSpeedup.toFixed(2)}x, median of rounds ${byRound(q.localByRound)} (target >= 1.8; pooled ${q.localSpeedupPooled.toFixed(2)}x, ${q.localSpeedupCold.toFixed(2)}x with start-up${w.warmup ? ' and warm-up' : ''}); distributed 2 vs local 2: ${q.queueRatio.toFixed(2)}, rounds ${byRound(q.queueByRound)} (target >= 0.90; pooled ${q.queueRatioPooled.toFixed(2)}, ${q.queueRatioCold.toFixed(2)} with start-up${w.warmup ? ' and warm-up' : ''}); result tables identical: ${r.identical}${bound ? `; CPU bound 2 x ${bound.main1.toFixed(2)} / (${bound.main2.toFixed(2)} + ${bound.background2.toFixed(2)}) = ${bound.predicted.toFixed(2)}x` : ''}`);
    results.push({ ...w, ...r, ...q, bound });
  }
  const m = machine as { cpu: string; cores: number; memoryGiB: number; node: string; date: string; loadAverage: number[] };
  // Recorded because it is a setting of the measurement (the pool's processes inherit it).
  const niceness = getPriority();
  const command = `${niceness !== 0 ? `nice -n ${niceness} ` : ''}npm run bench -- --suite campaign${quick ? ' --quick' : ''}${rounds !== (quick ? 1 : 5) ? ` --pairs ${rounds}` : ''}`;
  const name = `campaign${quick ? '-quick' : ''}`;
  const target = results[0];
  writeFileSync(
    join(resultsDir, `${name}.json`),
    `${JSON.stringify(
      {
        machine,
        command,
        niceness,
        // The target workload's figures at the top level, as before; every workload's below.
        workload: target.c.spec,
        jobs: target.jobs,
        localSpeedup: target.localSpeedup,
        queueRatio: target.queueRatio,
        localSpeedupCold: target.localSpeedupCold,
        queueRatioCold: target.queueRatioCold,
        identical: results.every((r) => r.identical),
        workloads: results.map((r) => ({ name: r.name, role: r.role, workload: r.c.spec, jobs: r.jobs, localSpeedup: r.localSpeedup, queueRatio: r.queueRatio, localByRound: r.localByRound, queueByRound: r.queueByRound, localSpeedupPooled: r.localSpeedupPooled, queueRatioPooled: r.queueRatioPooled, localSpeedupCold: r.localSpeedupCold, queueRatioCold: r.queueRatioCold, identical: r.identical, cpuBound: r.bound, measurements: r.measurements })),
      },
      null,
      2,
    )}\n`,
  );
  const md = [
    `# Campaign throughput${quick ? ' (quick)' : ''}`,
    '',
    `Command: \`${command}\`. Measured ${m.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}; load average at the start ${m.loadAverage.map((x) => x.toFixed(1)).join(' / ')} (a machine shared with other work: read the ratios, which come from one run with the setups interleaved)${niceness !== 0 ? `; the suite ran at nice ${niceness} (with the kernel's autogroup scheduling that changes little against other sessions' work)` : ''}.`,
    '',
    `Setups: the local pool with 1 and 2 processes; distributed: BullMQ on a redis-server on 127.0.0.1, 2 \`neurochaos worker --concurrency 1\` processes. Every setup's processes (the local pool's persistent job processes; the workers, each with its job process) are started and ready before the clock, as a campaign starts them once: jobs/hour is the steady rate; the start-up column is that one-time cost, measured apart. A workload with a warm-up campaign (another seed, so only V8's compiled code carries over) runs it on the same processes before the clock, so that the clock reads the rate of a long campaign, not each process's one-time JIT compilation of the engine; its time is reported apart too. A workload without one (the earlier, short jobs) carries that warm-up in its clock. CPU (local setups, from /proc): seconds the job processes' main threads and V8 background threads (compilers, GC) used during the clock, and the parent's.`,
    '',
  ];
  for (const r of results) {
    md.push(
      `## Workload \`bench/campaign/${r.name}.campaign.yaml\` (${r.role})`,
      '',
      `${r.jobs} jobs, each one experiment on the single-threaded cpu backend (microcircuit scale ${r.c.spec.model.scale}, k-scale ${r.c.spec.model.kScale}, judge.trials ${r.c.spec.judge?.trials ?? 1}: a treated replica and its unfaulted twin per trial) plus its unfaulted reference run; measures: ${r.c.spec.measures.join(', ')}. ${r.why}`,
      '',
      ...(r.warmup ? [`Warm-up before the clock: \`bench/campaign/warmup.campaign.yaml\`, ${r.warmupJobs} jobs of the same kind under another seed per job process (16 for the lone process, 32 for a setup of 2: whole reference groups, so that each process warms up on as many; until 2026-12-01 03:40 every setup ran the same 16, 8 per process with 2).`, ''] : []),
      '| round | setup | jobs | start-up s (before the clock) | warm-up s (before the clock) | wall s | jobs/hour | CPU s: job main + V8 background, parent | load before | load after |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...r.measurements.map((x) => `| ${x.round} | ${x.setup} | ${x.jobs} | ${x.startupSeconds.toFixed(2)} | ${r.warmup ? x.warmupSeconds.toFixed(1) : '-'} | ${x.wallSeconds.toFixed(1)} | ${x.jobsPerHour.toFixed(0)} | ${x.cpu ? `${x.cpu.jobMainSeconds.toFixed(2)} + ${x.cpu.jobBackgroundSeconds.toFixed(2)}, ${x.cpu.parentSeconds.toFixed(2)}` : '-'} | ${x.loadBefore.toFixed(1)} | ${x.loadAfter.toFixed(1)} |`),
      '',
      `- Local pool, 2 processes vs 1: **${r.localSpeedup.toFixed(2)}x** jobs per hour, the median of the rounds' ratios (${r.localByRound.map((x) => x.toFixed(2)).join(', ')}; target >= 1.8x${r.role === 'target' ? '' : ', read from the target workload'}); all rounds pooled, ${r.localSpeedupPooled.toFixed(2)}x; counting each setup's start-up${r.warmup ? ' and warm-up (its time and its jobs)' : ''} in, ${r.localSpeedupCold.toFixed(2)}x.`,
      `- Distributed, 2 workers vs the local pool of 2: **${r.queueRatio.toFixed(2)}**, median of the rounds (${r.queueByRound.map((x) => x.toFixed(2)).join(', ')}; target: within 10%, >= 0.90); pooled, ${r.queueRatioPooled.toFixed(2)}; counting start-up${r.warmup ? ' and warm-up (time and jobs)' : ''} in, ${r.queueRatioCold.toFixed(2)}.`,
      ...(r.bound ? [`- CPU bound (mean over rounds): 1 process, main thread ${r.bound.main1.toFixed(2)} s (its V8 background threads, ${r.bound.background1.toFixed(2)} s, ran on the idle core); 2 processes, main ${r.bound.main2.toFixed(2)} s + background ${r.bound.background2.toFixed(2)} s on 2 cores, parent ${r.bound.parent2.toFixed(2)} s: at best 2 x ${r.bound.main1.toFixed(2)} / ${(r.bound.main2 + r.bound.background2).toFixed(2)} = ${r.bound.predicted.toFixed(2)}x.`] : []),
      `- The result tables of every setup and round are byte-identical: ${r.identical ? 'yes' : 'NO'}.`,
      '',
    );
  }
  writeFileSync(join(resultsDir, `${name}.md`), md.join('\n'));
  log(`  wrote bench/results/${name}.json and .md`);
}
