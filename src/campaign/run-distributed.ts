import { Job, Queue, QueueEvents } from 'bullmq';
import { z } from 'zod';
import type { JobResult } from './job.js';
import type { Campaign, JobEntry } from './load-campaign.js';
import { redisOptions, type QueueConnection } from './queue-connection.js';
import { dispatchOrder, RunTally, type CampaignRun, type CampaignRunOptions } from './run-tally.js';

/** Attempts of a job that fails for a reason outside its input (a crashed process): BullMQ retries it with backoff. */
export const JOB_ATTEMPTS = 3;
/** Finished jobs (and their results) stay in Redis this long, for `collect` and for submitters that come back. */
const KEEP_SECONDS = 7 * 24 * 3600;

/** A result from Redis is untrusted too: its shape is checked before it is stored. */
const resultSchema = z
  .object({
    hash: z.string().regex(/^[0-9a-f]{64}$/),
    status: z.enum(['ok', 'input-error']),
    values: z.record(z.object({ value: z.number(), count: z.number().optional(), of: z.number().optional() }).strict()),
    error: z.string().max(10_000).optional(),
    notes: z.array(z.string().max(10_000)).max(100).optional(),
  })
  .strict();

export interface DistributedRunOptions extends CampaignRunOptions {
  connection: QueueConnection;
  queueName: string;
  /** Only gather results already in Redis; add no job. */
  collectOnly?: boolean;
}

/**
 * Submits a campaign's jobs to BullMQ (job id = the job's content hash, so a
 * job already queued or finished is not added twice) and follows them until
 * each has a result; results are stored locally as they arrive, exactly as a
 * local run stores them. Jobs that failed for a reason outside their input in
 * an earlier submission are retried. Interrupting stops the following only:
 * the jobs stay queued, and a rerun (or `campaign collect`) picks them up.
 */
export async function runDistributed(c: Campaign, o: DistributedRunOptions): Promise<CampaignRun> {
  const tally = new RunTally(c, o);
  const { todo } = tally;
  if (todo.length === 0) return tally.outcome(false);
  const connection = redisOptions(o.connection);
  const queue = new Queue(o.queueName, { connection });
  const events = new QueueEvents(o.queueName, { connection });
  const pending = new Map<string, JobEntry>(todo.map((e) => [e.hash, e]));
  let finish: () => void = () => {};
  const allDone = new Promise<void>((r) => (finish = r));
  const settle = (hash: string, outcome: { result?: unknown; failed?: string }) => {
    const entry = pending.get(hash);
    if (!entry) return;
    pending.delete(hash);
    if (outcome.result !== undefined) {
      const parsed = resultSchema.safeParse(typeof outcome.result === 'string' ? parseOrNull(outcome.result) : outcome.result);
      if (!parsed.success || parsed.data.hash !== hash) tally.crashed(entry, 'a worker returned a malformed result');
      else tally.finished(entry, parsed.data as JobResult);
    } else {
      const why = outcome.failed ?? 'failed';
      tally.crashed(entry, why, `${why} (after ${JOB_ATTEMPTS} attempts)`);
    }
    if (pending.size === 0) finish();
  };
  const onAbort = () => finish();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    events.on('completed', ({ jobId, returnvalue }) => settle(jobId, { result: returnvalue }));
    events.on('failed', ({ jobId, failedReason }) => {
      // A failed attempt with attempts left is retried by BullMQ: only the job's final failure settles it.
      void Job.fromId(queue, jobId).then(async (j) => {
        if (j && (await j.getState()) === 'failed') settle(jobId, { failed: failedReason });
      });
    });
    await events.waitUntilReady();
    if (!o.collectOnly) {
      // In reference groups (run-tally.ts): a worker taking jobs in queue order then meets a group's jobs together and reuses its reference run.
      const order = dispatchOrder(todo).map((d) => d.entry);
      for (let i = 0; i < order.length; i += 500) {
        await queue.addBulk(
          order.slice(i, i + 500).map((e) => ({
            name: e.labels.sweep,
            data: e.job,
            opts: { jobId: e.hash, attempts: JOB_ATTEMPTS, backoff: { type: 'exponential', delay: 1000 }, removeOnComplete: { age: KEEP_SECONDS }, removeOnFail: { age: KEEP_SECONDS } },
          })),
        );
      }
    }
    // Jobs that finished before this submitter listened (an earlier submission): take their results, retry their crashes.
    for (const e of todo) {
      if (o.signal?.aborted) break;
      const j = await Job.fromId(queue, e.hash);
      if (!j) continue;
      const state = await j.getState();
      if (state === 'completed') settle(e.hash, { result: j.returnvalue });
      else if (state === 'failed' && !o.collectOnly) await j.retry('failed');
    }
    if (o.collectOnly) finish();
    await allDone;
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await events.close();
    await queue.close();
  }
  return tally.outcome(o.signal?.aborted === true && pending.size > 0);
}

/** A return value as Redis holds it (JSON text); null when it is not JSON (a malformed result, refused by the schema). */
function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
