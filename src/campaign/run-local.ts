import { join } from 'node:path';
import type { Campaign, JobEntry } from './load-campaign.js';
import type { JobResult } from './job.js';
import { JobPool } from './local-pool.js';
import { ResultStore } from './result-store.js';

export interface CampaignProgress {
  /** Jobs finished in this run (results and input errors), of `total` to run in this run. */
  done: number;
  total: number;
  /** Jobs whose result came from an earlier run. */
  resumed: number;
  failed: number;
}

export interface CampaignRun {
  results: Map<string, JobResult>;
  ran: number;
  resumed: number;
  interrupted: boolean;
  /** Jobs that did not finish for a reason outside their input (a crashed process): no result is stored; a rerun runs them. */
  crashed: { entry: JobEntry; error: string }[];
}

export interface LocalRunOptions {
  outDir: string;
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (p: CampaignProgress) => void;
  /** Told of each job that failed (input error or crash), as it happens. */
  onFailure?: (entry: JobEntry, error: string, retried: boolean) => void;
}

/** The jobs of a campaign that have no stored result, one per distinct hash, and the results already stored. */
export function pendingJobs(c: Campaign, store: ResultStore): { todo: JobEntry[]; results: Map<string, JobResult> } {
  const results = new Map<string, JobResult>();
  const todo: JobEntry[] = [];
  const seen = new Set<string>();
  for (const e of c.jobs) {
    if (seen.has(e.hash)) continue;
    seen.add(e.hash);
    const r = store.get(e.hash);
    if (r) results.set(e.hash, r);
    else todo.push(e);
  }
  return { todo, results };
}

/**
 * Runs a campaign's jobs on a pool of local processes: no server. Results go
 * to `<outDir>/results/` under each job's hash as they finish, so an
 * interrupted run (the signal) keeps every finished job and a rerun resumes.
 */
export async function runLocal(c: Campaign, o: LocalRunOptions): Promise<CampaignRun> {
  const store = new ResultStore(join(o.outDir, 'results'));
  const { todo, results } = pendingJobs(c, store);
  const resumed = results.size;
  const progress: CampaignProgress = { done: 0, total: todo.length, resumed, failed: 0 };
  const crashed: CampaignRun['crashed'] = [];
  o.onProgress?.({ ...progress });
  if (todo.length === 0 || o.signal?.aborted) return { results, ran: 0, resumed, interrupted: o.signal?.aborted === true && todo.length > 0, crashed };
  const pool = new JobPool(Math.max(1, Math.min(o.concurrency, todo.length)), join(o.outDir, '.work'));
  let interrupted = false;
  const onAbort = () => {
    interrupted = true;
    void pool.close();
  };
  o.signal?.addEventListener('abort', onAbort, { once: true });
  let ran = 0;
  try {
    await Promise.all(
      todo.map(async (entry) => {
        if (interrupted) return;
        try {
          const r = await pool.run(entry.job);
          if (interrupted) return;
          store.put(r);
          results.set(entry.hash, r);
          ran++;
          if (r.status !== 'ok') {
            progress.failed++;
            o.onFailure?.(entry, r.error ?? 'input error', false);
          }
        } catch (e) {
          if (interrupted) return;
          const msg = e instanceof Error ? e.message : String(e);
          crashed.push({ entry, error: msg });
          progress.failed++;
          o.onFailure?.(entry, msg, true);
        }
        progress.done++;
        o.onProgress?.({ ...progress });
      }),
    );
  } finally {
    o.signal?.removeEventListener('abort', onAbort);
    await pool.close();
  }
  return { results, ran, resumed, interrupted, crashed };
}
