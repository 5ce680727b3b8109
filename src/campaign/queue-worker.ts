import { Worker } from 'bullmq';
import type { JobResult } from './job.js';
import { JobPool } from './local-pool.js';
import { redisOptions, type QueueConnection } from './queue-connection.js';

export interface QueueWorkerOptions {
  connection: QueueConnection;
  queueName: string;
  /** Jobs at once (one process each). */
  concurrency: number;
  /** The only folder this worker writes into (each job's recordings, under its hash; removed after the job). */
  workDir: string;
  /**
   * How long a job's lock lasts without renewal (ms): a worker that dies
   * (SIGKILL, a lost machine) stops renewing, and after this long another
   * worker's stalled-job check puts the job back in the queue. Checks run
   * every half of it. @defaultValue 30000
   */
  lockMs?: number;
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** Times a job may be found stalled (its worker gone) and put back before BullMQ fails it. */
export const MAX_STALLED = 5;

/**
 * Takes jobs from a BullMQ queue and runs them on a local pool of persistent
 * processes (local-pool.ts: started once, many jobs each; the event loop stays free to renew the jobs' locks however long a job
 * computes). Each job is validated as untrusted input by the process that
 * runs it; its result goes back through Redis as the job's return value.
 * A job whose input is bad completes with an `input-error` result (never
 * retried); a crash throws, and BullMQ retries it (JOB_ATTEMPTS). Resolves
 * when the signal aborts and the jobs in hand have finished.
 */
export async function runQueueWorker(o: QueueWorkerOptions): Promise<{ jobs: number }> {
  // The pool's processes start once and serve every job this worker takes; it takes none before they can run them.
  const pool = new JobPool(o.concurrency, o.workDir);
  await pool.ready();
  const lockMs = o.lockMs ?? 30_000;
  let jobs = 0;
  const worker = new Worker(
    o.queueName,
    async (job) => {
      const t0 = performance.now();
      o.log?.(`job ${job.id} (${job.name}) started`);
      const r: JobResult = await pool.run(job.data);
      jobs++;
      o.log?.(`job ${job.id} ${r.status === 'ok' ? 'done' : `failed on its input: ${r.error}`} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      // The queue's job id is the content hash the submitter computed: a job whose content does not hash to it is refused.
      if (r.hash !== job.id) return { hash: String(job.id), status: 'input-error', values: {}, error: `job id ${job.id} is not the hash of its content (${r.hash})` } satisfies JobResult;
      return r;
    },
    { connection: redisOptions(o.connection), concurrency: o.concurrency, lockDuration: lockMs, stalledInterval: Math.max(500, Math.floor(lockMs / 2)), maxStalledCount: MAX_STALLED },
  );
  worker.on('failed', (job, err) => o.log?.(`job ${job?.id} failed (${err.message}); BullMQ retries it while attempts remain`));
  worker.on('error', (err) => o.log?.(`queue error: ${err.message}`));
  await worker.waitUntilReady();
  o.log?.(`worker ready on ${o.connection.display}, queue "${o.queueName}", ${o.concurrency} at once`);
  await new Promise<void>((resolve) => {
    if (o.signal?.aborted) resolve();
    o.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  o.log?.('stopping: finishing the jobs in hand (Ctrl-C again to leave them: they are retried elsewhere)');
  await worker.close();
  await pool.close();
  return { jobs };
}
