import type { ExperimentVerdict, Journal } from '../engine/journal.js';

/** The run's verdict as the report's banner prints it. */
export type RunOutcome = 'PASS' | 'FAIL' | 'INTERRUPTED' | 'NOT RUN';

export interface RunVerdict {
  outcome: RunOutcome;
  /** Why it did not pass (empty on a pass). */
  reasons: string[];
  /** Experiments per verdict outcome. */
  counts: Record<ExperimentVerdict['outcome'], number>;
}

const OUTCOMES: Record<string, RunOutcome> = { pass: 'PASS', fail: 'FAIL', interrupted: 'INTERRUPTED', 'not-run': 'NOT RUN' };

/**
 * The run's verdict from the journal's verdict objects (src/engine/verdict.ts):
 * the run's own `verdict` when the journal has one; else INTERRUPTED when the
 * run or an experiment was interrupted, NOT RUN when no experiment started,
 * PASS when the run completed and every experiment passed (the rule of the
 * exit code, `journalPassed`), FAIL otherwise. Reads journals defensively: an
 * experiment without a verdict counts as failed.
 */
export function runVerdict(j: Journal): RunVerdict {
  const counts: RunVerdict['counts'] = { pass: 0, fail: 0, interrupted: 0, 'not-run': 0 };
  const outcomeOf = (e: Journal['experiments'][number]) => (e.verdict?.outcome && e.verdict.outcome in counts ? e.verdict.outcome : 'fail');
  for (const e of j.experiments ?? []) counts[outcomeOf(e)]++;
  const own = (j as Journal & { verdict?: Partial<ExperimentVerdict> }).verdict;
  if (own && typeof own.outcome === 'string' && own.outcome in OUTCOMES) return { outcome: OUTCOMES[own.outcome], reasons: Array.isArray(own.reasons) ? own.reasons : [], counts };
  const total = j.experiments?.length ?? 0;
  const names = (o: ExperimentVerdict['outcome']) => j.experiments.filter((e) => outcomeOf(e) === o).map((e) => e.id);
  if (j.status === 'interrupted' || counts.interrupted > 0) return { outcome: 'INTERRUPTED', reasons: [`interrupted: ${counts.pass + counts.fail} of ${total} experiment(s) finished, ${counts['not-run']} not run`], counts };
  if (total === 0 || counts['not-run'] === total) return { outcome: 'NOT RUN', reasons: ['no experiment ran'], counts };
  if (j.status === 'completed' && counts.pass === total) return { outcome: 'PASS', reasons: [], counts };
  const reasons: string[] = [];
  if (j.status !== 'completed') reasons.push(`the run ${j.status}`);
  if (counts.fail > 0) reasons.push(`${counts.fail} of ${total} experiment(s) failed: ${names('fail').join(', ')}`);
  if (counts['not-run'] > 0) reasons.push(`${counts['not-run']} not run: ${names('not-run').join(', ')}`);
  return { outcome: 'FAIL', reasons, counts };
}
