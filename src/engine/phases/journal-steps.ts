import type { JournalStep } from '../journal.js';
import type { ExperimentState } from './experiment-state.js';

/** Runs one activity and journals it: when it ran, how long (wall), how it ended, what it produced. Rethrows a failure after journaling it. */
export async function activityStep<T>(state: ExperimentState, name: string, fn: () => Promise<T> | T): Promise<T> {
  const start = new Date();
  const w = performance.now();
  try {
    const output = await fn();
    state.steps.push({ name, startedAt: start.toISOString(), endedAt: new Date().toISOString(), durationMs: performance.now() - w, status: 'succeeded', output: output === undefined ? undefined : output });
    return output;
  } catch (e) {
    state.steps.push({ name, startedAt: start.toISOString(), endedAt: new Date().toISOString(), durationMs: performance.now() - w, status: 'failed', error: e instanceof Error ? e.message : String(e) });
    throw e;
  }
}

/** A step that took no time: a check (`succeeded`/`failed`) or one the strategy skipped. */
export function instantStep(name: string, status: JournalStep['status'], output?: unknown): JournalStep {
  const now = new Date().toISOString();
  return { name, startedAt: now, endedAt: now, durationMs: 0, status, output };
}
