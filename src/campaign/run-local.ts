import { join } from 'node:path';
import type { Campaign } from './load-campaign.js';
import { JobDispatch } from './job-dispatch.js';
import { JobPool } from './local-pool.js';
import { dispatchOrder, RunTally, type CampaignRun, type CampaignRunOptions } from './run-tally.js';

export interface LocalRunOptions extends CampaignRunOptions {
  /** Jobs at once (processes), when the run starts its own pool. */
  concurrency: number;
  /**
   * A pool started by the caller (kept running after the run, so that its
   * processes serve several runs, or start while the campaign loads). Without
   * it the run starts min(concurrency, jobs) processes and ends them. An
   * interruption (the signal) closes either: its running jobs stop at once.
   */
  pool?: JobPool;
}

/** The folder a campaign's pool processes write their jobs' files into (each job under its hash, removed when it ends). */
export function poolWorkDir(outDir: string): string {
  return join(outDir, '.work');
}

/**
 * Runs a campaign's jobs on a pool of local processes: no server. Results go
 * to `<outDir>/results/` under each job's hash as they finish, so an
 * interrupted run (the signal) keeps every finished job and a rerun resumes.
 * A job whose process crashes is reported (onFailure, `crashed`) and not
 * stored; the pool replaces the process and goes on. Jobs are handed out by
 * reference group (JobDispatch), so a process builds each reference run once.
 */
export async function runLocal(c: Campaign, o: LocalRunOptions): Promise<CampaignRun> {
  const tally = new RunTally(c, o);
  const { todo } = tally;
  if (todo.length === 0 || o.signal?.aborted) return tally.outcome(o.signal?.aborted === true && todo.length > 0);
  const pool = o.pool ?? new JobPool(Math.max(1, Math.min(o.concurrency, todo.length)), poolWorkDir(o.outDir));
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    void pool.close();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    // One lane per process: each runs its jobs one after another on its own process, the jobs of a reference group together.
    const dispatch = new JobDispatch(dispatchOrder(todo), pool.size);
    await Promise.all(
      Array.from({ length: pool.size }, async (_, lane) => {
        for (let entry = dispatch.next(lane); entry && !interrupted; entry = dispatch.next(lane)) {
          try {
            const r = await pool.run(entry.job, lane);
            if (!interrupted) tally.finished(entry, r);
          } catch (e) {
            if (!interrupted) tally.crashed(entry, e instanceof Error ? e.message : String(e));
          }
        }
      }),
    );
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    if (!o.pool) await pool.close();
  }
  return tally.outcome(interrupted);
}
