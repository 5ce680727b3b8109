import { availableParallelism, cpus, loadavg } from 'node:os';
import { basename, extname, resolve } from 'node:path';
import { codeVersion } from '../campaign/code-version.js';
import { buildCurves, resultRows } from '../campaign/curves.js';
import { estimateCampaign } from '../campaign/estimate.js';
import { loadCampaign, type JobEntry } from '../campaign/load-campaign.js';
import { paramsOf, writeCampaignOutputs } from '../campaign/outputs.js';
import { checkQueueReachable, DEFAULT_QUEUE_NAME, parseQueueUrl, type QueueConnection } from '../campaign/queue-connection.js';
import { JobPool } from '../campaign/local-pool.js';
import { ResultStore } from '../campaign/result-store.js';
import { runDistributed } from '../campaign/run-distributed.js';
import { poolWorkDir, runLocal } from '../campaign/run-local.js';
import { pendingJobs, type CampaignRun } from '../campaign/run-tally.js';
import { checkOutputFolder } from '../io/output-location.js';
import { InputError } from '../util/errors.js';
import type { CliContext } from './context.js';
import { defineCommand, type FlagTable, type ParsedCommand } from './command-table.js';
import { jsonFlag } from './common-flags.js';
import { ProgressLine } from './progress-line.js';

/** Flags campaign and worker share: where the queue is and how to log in. */
export const QUEUE_FLAGS = {
  queue: { type: 'string', value: 'URL', description: "distribute through BullMQ: redis://[user@]host:port[/db], or rediss:// (TLS); start 'neurochaos worker --queue URL' on any number of machines" },
  'password-env': { type: 'string', value: 'V', description: 'read the Redis password from environment variable V (never from the command line)', defaultText: 'NEUROCHAOS_REDIS_PASSWORD, if set' },
  'queue-name': { type: 'string', value: 'NAME', description: 'BullMQ queue name: 1-64 letters, digits, _ . -', defaultText: DEFAULT_QUEUE_NAME },
} as const satisfies FlagTable;

const CAMPAIGN_FLAGS = {
  out: { type: 'string', value: 'DIR', description: 'output folder; results are stored in DIR/results/ by job hash', defaultText: 'neurochaos-campaign/<file name>' },
  concurrency: { type: 'number', value: 'N', min: 1, max: 1024, integer: true, description: 'local pool: jobs at once, one process each', defaultText: 'one per core' },
  ...QUEUE_FLAGS,
  'dry-run': { type: 'boolean', description: 'print the jobs, how many are stored already, and an estimate of simulated and wall time; run nothing' },
  json: { ...jsonFlag, description: "print the run's summary as JSON" },
} as const satisfies FlagTable;

/** neurochaos campaign [collect] FILE: degradation sweeps, local or on BullMQ. */
export const CAMPAIGN_COMMAND = defineCommand({
  name: 'campaign',
  summary: 'sweep fault parameters over trials, defences, backends: local pool or BullMQ (--queue)',
  args: { syntax: '[collect] FILE', max: 2 },
  description: `Runs a campaign: every point of its sweeps (fault parameters x trials x defences x backends) as one experiment through the engine, then writes results.csv (one row per job and measure), results.json, summary.md, report.html and figures/*.svg (mean with 95% intervals per sweep and measure). Each job's result is stored under its content hash (which includes the seed and the code version) in OUT/results/: a rerun, after Ctrl-C or a crash, runs only the jobs without a result. See docs/campaigns.md.

'campaign collect FILE --queue URL' gathers the results of a distributed campaign from Redis without adding jobs, and writes the outputs.`,
  flags: CAMPAIGN_FLAGS,
  exitCodes: '0 every job has a result; 1 a job failed (its input, reported with its error; or a crash, retried on the next run); 2 bad input (the campaign file, a flag); 130 interrupted (finished jobs are kept; rerun to resume).',
  run: (parsed, ctx) => campaignCommand(parsed, ctx),
});

/** The Redis password from the named environment variable (or NEUROCHAOS_REDIS_PASSWORD): never on the command line. */
export function queuePassword(envName: string | undefined, flag = '--password-env'): string | undefined {
  if (envName !== undefined) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(envName)) throw new InputError(flag, `must be an environment variable name (got ${JSON.stringify(envName)})`);
    const v = process.env[envName];
    if (v === undefined) throw new InputError(flag, `environment variable ${envName} is not set`);
    return v;
  }
  return process.env.NEUROCHAOS_REDIS_PASSWORD || undefined;
}

export function queueNameFlag(v: string | undefined): string {
  if (v === undefined) return DEFAULT_QUEUE_NAME;
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(v)) throw new InputError('--queue-name', `must be 1-64 letters, digits, _ . - (got ${JSON.stringify(v)})`);
  return v;
}

/** neurochaos campaign FILE: local pool by default, BullMQ with --queue; `collect` gathers a distributed campaign's results. */
export async function campaignCommand({ flags: values, args }: ParsedCommand<typeof CAMPAIGN_FLAGS>, ctx: CliContext): Promise<number> {
  const collect = args[0] === 'collect';
  const positionals = collect ? args.slice(1) : args;
  if (positionals.length !== 1) throw new InputError('FILE', 'give one campaign file; see --help');
  const file = positionals[0];
  const concurrency = values.concurrency ?? availableParallelism();
  const connection = values.queue === undefined ? null : parseQueueUrl(values.queue, '--queue', queuePassword(values['password-env']));
  if (collect && !connection) throw new InputError('--queue', 'collect gathers results from a queue: give --queue URL');
  const queueName = queueNameFlag(values['queue-name']);
  const outDir = resolve(values.out ?? `neurochaos-campaign/${basename(file, extname(file))}`);
  // The local pool's processes load the engine while this one loads and checks the campaign (they write nothing until a job comes).
  const pool = !connection && !values['dry-run'] ? new JobPool(concurrency, poolWorkDir(outDir)) : null;
  try {
    return await runCampaign({ file, collect, outDir, connection, queueName, concurrency, pool }, values, ctx);
  } finally {
    await pool?.close();
  }
}

/** What the command line settled before the campaign is read. */
interface CampaignSetup {
  file: string;
  collect: boolean;
  outDir: string;
  connection: QueueConnection | null;
  queueName: string;
  concurrency: number;
  /** The local pool, started (null: distributed, or a dry run). */
  pool: JobPool | null;
}

async function runCampaign({ file, collect, outDir, connection, queueName, concurrency, pool }: CampaignSetup, values: ParsedCommand<typeof CAMPAIGN_FLAGS>['flags'], ctx: CliContext): Promise<number> {
  const campaign = loadCampaign(file);
  for (const n of campaign.notices) ctx.stderr.write(`neurochaos: ${n}\n`);
  checkOutputFolder(outDir, '--out');
  if (values['dry-run']) {
    const { todo } = pendingJobs(campaign, new ResultStore(resolve(outDir, 'results')));
    const est = estimateCampaign(campaign, todo.length, connection ? 1 : concurrency);
    const summary = { file, title: campaign.spec.title, jobs: est.jobs, distinct: est.distinct, stored: est.distinct - todo.length, toRun: todo.length, neurons: est.neurons, simulatedReplicaSeconds: est.simulatedReplicaSeconds, estimatedWallSeconds: est.wallSeconds, concurrency, codeVersion: codeVersion() };
    if (values.json) ctx.stdout.write(`${JSON.stringify(summary)}\n`);
    else {
      ctx.stdout.write(`${file}: ${campaign.spec.title}\n`);
      for (const s of campaign.sweeps) ctx.stdout.write(`  sweep ${s.spec.name}: ${String(s.spec.fault.kind)}, ${s.axes.map((a) => `${a.key} [${a.values.join(', ')}]`).join(' x ') || 'one point'}\n`);
      ctx.stdout.write(`  ${est.jobs} jobs (${est.distinct} distinct), ${summary.stored} stored in ${outDir}, ${todo.length} to run\n`);
      ctx.stdout.write(`  about ${fmtDuration(est.simulatedReplicaSeconds)} of simulated replica time (${est.neurons} neurons); roughly ${fmtDuration(est.wallSeconds)} of wall time on ${connection ? 'one worker (divide by the workers you start)' : `${Math.min(concurrency, Math.max(1, todo.length))} local processes`} (a prior, not a measurement)\n`);
    }
    return 0;
  }
  const t0 = performance.now();
  const progress = new ProgressLine(ctx.stderr, 'campaign');
  const describe = (e: JobEntry) => `${e.labels.sweep} ${paramsOf(e)} ${e.labels.backend} defences ${e.labels.defences} seed ${e.labels.seed}`;
  const common = {
    outDir,
    signal: ctx.signal,
    onProgress: (p: { done: number; total: number; failed: number; resumed: number }) => progress.update(p.done, p.total, `${p.done}/${p.total} jobs${p.resumed ? `, ${p.resumed} resumed` : ''}${p.failed ? `, ${p.failed} failed` : ''}`),
    onFailure: (e: JobEntry, error: string, retried: boolean) => {
      progress.done();
      ctx.stderr.write(`neurochaos: job ${describe(e)} ${retried ? 'did not finish' : 'failed on its input (not retried)'}: ${error}\n`);
    },
  };
  if (connection) await checkQueueReachable(connection);
  if (connection) ctx.stderr.write(`campaign: ${collect ? 'collecting from' : 'submitting to'} ${connection.display}, queue "${queueName}"\n`);
  let run: CampaignRun;
  try {
    run = connection ? await runDistributed(campaign, { ...common, connection, queueName, collectOnly: collect }) : await runLocal(campaign, { ...common, concurrency, pool: pool ?? undefined });
  } finally {
    progress.done();
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const rows = resultRows(campaign, run.results, { wallClock: campaign.spec.measures.includes('wall-clock') });
  const curves = buildCurves(campaign, rows);
  const cmd = `neurochaos campaign ${collect ? 'collect ' : ''}${file}${connection ? ` --queue ${connection.display}` : ` --concurrency ${concurrency}`}`;
  const files = writeCampaignOutputs(outDir, campaign, rows, curves, run.results, {
    command: cmd,
    mode: connection ? 'distributed' : 'local',
    workers: connection ? 0 : Math.min(concurrency, Math.max(1, run.ran)),
    wallSeconds,
    jobsRun: run.ran,
    jobsResumed: run.resumed,
    codeVersion: codeVersion(),
    machine: `${cpus()[0]?.model ?? 'cpu'} x ${cpus().length}, load ${loadavg().map((x) => x.toFixed(1)).join('/')}`,
  });
  const distinct = new Set(campaign.jobs.map((j) => j.hash)).size;
  const missing = [...new Set(campaign.jobs.map((j) => j.hash))].filter((h) => !run.results.has(h)).length;
  const inputFailed = [...run.results.values()].filter((r) => r.status !== 'ok').length;
  const summary = { file, outDir, jobs: campaign.jobs.length, distinct, ran: run.ran, resumed: run.resumed, inputErrors: inputFailed, unfinished: missing, interrupted: run.interrupted, wallSeconds, files };
  if (values.json) ctx.stdout.write(`${JSON.stringify(summary)}\n`);
  else ctx.stdout.write(`${campaign.spec.title}: ${distinct} distinct jobs, ${run.ran} run now, ${run.resumed} resumed${inputFailed ? `, ${inputFailed} failed on their input` : ''}${missing ? `, ${missing} without a result${run.interrupted ? ' (interrupted: rerun to resume)' : ''}` : ''} in ${wallSeconds.toFixed(1)} s\n  wrote ${files.filter((f) => !f.includes('/figures/')).join(', ')} and ${files.filter((f) => f.includes('/figures/')).length} figure(s)\n`);
  if (run.interrupted) return 130;
  return missing || inputFailed ? 1 : 0;
}

function fmtDuration(s: number): string {
  if (s < 90) return `${s.toFixed(0)} s`;
  if (s < 5400) return `${(s / 60).toFixed(0)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}
