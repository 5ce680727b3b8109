import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { checkQueueReachable, parseQueueUrl } from '../campaign/queue-connection.js';
import { runQueueWorker } from '../campaign/queue-worker.js';
import { checkOutputFolder } from '../io/output-location.js';
import { InputError } from '../util/errors.js';
import { QUEUE_FLAGS, queueNameFlag, queuePassword } from './campaign-command.js';
import type { CliContext } from './context.js';
import { defineCommand, type FlagTable, type ParsedCommand } from './command-table.js';

const WORKER_FLAGS = {
  ...QUEUE_FLAGS,
  queue: { ...QUEUE_FLAGS.queue, description: 'the BullMQ queue on Redis: redis://[user@]host:port[/db], or rediss:// (TLS); required' },
  concurrency: { type: 'number', value: 'N', min: 1, max: 1024, integer: true, description: 'jobs at once, one process each', defaultText: 'one per core' },
  out: { type: 'string', value: 'DIR', description: 'the only folder the worker writes into', default: 'neurochaos-worker' },
  'lock-ms': { type: 'number', value: 'MS', min: 1000, max: 3_600_000, integer: true, unit: 'ms', description: "a job's lock: when this worker dies, its jobs go back to the queue after this long (checked every half of it)", defaultText: '30000' },
} as const satisfies FlagTable;

/** neurochaos worker --queue URL: a BullMQ worker for campaign jobs. */
export const WORKER_COMMAND = defineCommand({
  name: 'worker',
  summary: 'take campaign jobs from a BullMQ queue (--queue redis://host:port)',
  description: `Takes campaign jobs from a BullMQ queue on Redis and runs them, each in a process of its own, until interrupted. Jobs carry everything they need (the model itself, not a path); each is validated as untrusted input, and the worker writes only inside its --out folder. Every machine must run the same neurochaos build: a job submitted by another version is refused (reported, not retried). See docs/campaigns.md.`,
  flags: WORKER_FLAGS,
  exitCodes: '0 stopped by Ctrl-C after finishing the jobs in hand; 2 bad input; 130 a second Ctrl-C (the jobs in hand go back to the queue when their locks expire).',
  run: (parsed, ctx) => workerCommand(parsed, ctx),
});

export async function workerCommand({ flags: values }: ParsedCommand<typeof WORKER_FLAGS>, ctx: CliContext): Promise<number> {
  if (values.queue === undefined) throw new InputError('--queue', 'is required: redis://host:port or rediss://host:port; see --help');
  const connection = parseQueueUrl(values.queue, '--queue', queuePassword(values['password-env']));
  const concurrency = values.concurrency ?? availableParallelism();
  const lockMs = values['lock-ms'];
  const workDir = resolve(values.out);
  checkOutputFolder(workDir, '--out');
  await checkQueueReachable(connection);
  const log = (line: string) => ctx.stderr.write(`worker: ${line}\n`);
  const { jobs } = await runQueueWorker({ connection, queueName: queueNameFlag(values['queue-name']), concurrency, workDir, lockMs, signal: ctx.signal, log });
  log(`stopped after ${jobs} job(s)`);
  return 0;
}
