import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { checkQueueReachable, parseQueueUrl } from '../campaign/queue-connection.js';
import { runQueueWorker } from '../campaign/queue-worker.js';
import { checkOutputFolder } from '../io/output-location.js';
import { InputError } from '../util/errors.js';
import { queueNameFlag, queuePassword } from './campaign-command.js';
import type { CliContext } from './context.js';
import { numberFlag, parseFlags } from './parse-flags.js';

export const WORKER_HELP = `Usage: neurochaos worker --queue URL [options]

Takes campaign jobs from a BullMQ queue on Redis and runs them, each in a
process of its own, until interrupted. Jobs carry everything they need (the
model itself, not a path); each is validated as untrusted input, and the
worker writes only inside its --out folder. Every machine must run the same
neurochaos build: a job submitted by another version is refused (reported,
not retried). See docs/campaigns.md.

Options:
  --queue URL        redis://[user@]host:port[/db], or rediss:// (TLS)
  --password-env V   read the Redis password from environment variable V (default: NEUROCHAOS_REDIS_PASSWORD, if set)
  --queue-name NAME  BullMQ queue (default: neurochaos)
  --concurrency N    jobs at once (default: one per core)
  --out DIR          the only folder the worker writes into (default: neurochaos-worker)
  --lock-ms MS       a job's lock: when this worker dies, its jobs go back to the queue
                     after this long (default 30000; checks every half of it)
  -h, --help         this help

Exit codes: 0 stopped by Ctrl-C after finishing the jobs in hand; 2 bad input;
130 a second Ctrl-C (the jobs in hand go back to the queue when their locks expire).`;

/** neurochaos worker --queue URL: a BullMQ worker for campaign jobs. */
export async function workerCommand(argv: string[], ctx: CliContext): Promise<number> {
  const { values } = parseFlags(argv, {
    queue: { type: 'string' },
    'password-env': { type: 'string' },
    'queue-name': { type: 'string' },
    concurrency: { type: 'string' },
    out: { type: 'string' },
    'lock-ms': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    ctx.stdout.write(`${WORKER_HELP}\n`);
    return 0;
  }
  if (values.queue === undefined) throw new InputError('--queue', 'is required: redis://host:port or rediss://host:port; see --help');
  const connection = parseQueueUrl(values.queue, '--queue', queuePassword(values['password-env']));
  const concurrency = numberFlag(values.concurrency, '--concurrency', 1, 1024, { integer: true }) ?? availableParallelism();
  const lockMs = numberFlag(values['lock-ms'], '--lock-ms', 1000, 3_600_000, { integer: true });
  const workDir = resolve(values.out ?? 'neurochaos-worker');
  checkOutputFolder(workDir, '--out');
  await checkQueueReachable(connection);
  const log = (line: string) => ctx.stderr.write(`worker: ${line}\n`);
  const { jobs } = await runQueueWorker({ connection, queueName: queueNameFlag(values['queue-name']), concurrency, workDir, lockMs, signal: ctx.signal, log });
  log(`stopped after ${jobs} job(s)`);
  return 0;
}
