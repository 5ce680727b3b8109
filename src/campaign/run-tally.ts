import { join } from 'node:path';
import { contentHash } from './canonical-json.js';
import type { JobResult } from './job.js';
import { jobLayout, type Campaign, type JobEntry } from './load-campaign.js';
import { ResultStore } from './result-store.js';

/**
 * What the local pool (run-local.ts) and the BullMQ submitter
 * (run-distributed.ts) share: which jobs to run, where results are stored,
 * progress and failure reports, and the run's outcome. Both store a result
 * the same way (the job's hash in `OUT/results/`), so their outputs are the
 * same bytes.
 */

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

/** Options every way of running a campaign takes. */
export interface CampaignRunOptions {
  /** The campaign's output folder: results are stored in `<outDir>/results/` by job hash. */
  outDir: string;
  /** Aborting stops the run: jobs already stored are kept; a rerun resumes. */
  signal?: AbortSignal;
  onProgress?: (p: CampaignProgress) => void;
  /** Told of each job that failed, as it happens: `retried` false for an input error (stored, never run again), true for a crash (not stored: a rerun runs it). */
  onFailure?: (entry: JobEntry, error: string, retried: boolean) => void;
}

/**
 * The reference run a job needs (reference-run.ts): jobs that differ only in
 * their fault, and whose fault lays the replicas out alike, share one. A hint
 * for scheduling, computed from the job as submitted (the job's process keys
 * its cache on the validated scenario).
 */
export function referenceGroup(e: JobEntry): string {
  const { experiments: _e, title: _t, description: _d, ...rest } = e.job.scenario;
  try {
    const { batch, noiseStreams } = jobLayout(e.job.scenario);
    return contentHash({ rest, model: e.job.model, batch, noiseStreams });
  } catch {
    return e.hash;
  }
}

/**
 * Jobs in the order to hand them out: grouped by reference run (stably: the
 * groups in the campaign's order, each group's jobs in theirs). A campaign
 * lists its trials innermost (seed after seed), so in its own order a
 * process would meet a new seed at every job and never reuse a reference run
 * (about a fifth of a small job's time); grouped, it builds one per group.
 * Results are written in the campaign's order whatever the order they ran in.
 */
export function dispatchOrder(todo: JobEntry[]): { entry: JobEntry; group: string }[] {
  const groups = new Map<string, JobEntry[]>();
  for (const e of todo) {
    const g = referenceGroup(e);
    const list = groups.get(g);
    if (list) list.push(e);
    else groups.set(g, [e]);
  }
  return [...groups].flatMap(([group, entries]) => entries.map((entry) => ({ entry, group })));
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

/** One run of a campaign's jobs: the jobs to run, the results as they arrive (stored at once), progress and failures. */
export class RunTally {
  readonly store: ResultStore;
  readonly todo: JobEntry[];
  private readonly results: Map<string, JobResult>;
  private readonly resumed: number;
  private readonly progress: CampaignProgress;
  private readonly crashes: CampaignRun['crashed'] = [];
  private ran = 0;

  constructor(c: Campaign, private readonly o: CampaignRunOptions) {
    this.store = new ResultStore(join(o.outDir, 'results'));
    const { todo, results } = pendingJobs(c, this.store);
    this.todo = todo;
    this.results = results;
    this.resumed = results.size;
    this.progress = { done: 0, total: todo.length, resumed: this.resumed, failed: 0 };
    o.onProgress?.({ ...this.progress });
  }

  /** A job's result (ok or input-error): stored under its hash before anything else, so an interruption right after keeps it. */
  finished(entry: JobEntry, r: JobResult): void {
    this.store.put(r);
    this.results.set(entry.hash, r);
    this.ran++;
    if (r.status !== 'ok') {
      this.progress.failed++;
      this.o.onFailure?.(entry, r.error ?? 'input error', false);
    }
    this.step();
  }

  /** A job that did not finish (its process crashed, its attempts ran out): nothing is stored, a rerun runs it. `told` is what onFailure hears (default: the error). */
  crashed(entry: JobEntry, error: string, told = error): void {
    this.crashes.push({ entry, error });
    this.progress.failed++;
    this.o.onFailure?.(entry, told, true);
    this.step();
  }

  private step(): void {
    this.progress.done++;
    this.o.onProgress?.({ ...this.progress });
  }

  outcome(interrupted: boolean): CampaignRun {
    return { results: this.results, ran: this.ran, resumed: this.resumed, interrupted, crashed: this.crashes };
  }
}
