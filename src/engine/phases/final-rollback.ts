import type { ExperimentState } from './experiment-state.js';
import { noteFaultEnd } from './fault-window.js';

/**
 * The final rollback (the kill switch): stops every fault still active,
 * newest first, and journals one `final-rollback` step with each stop's
 * outcome. The lifecycle runs it exactly once, on every way out.
 */
export async function finalRollback(state: ExperimentState): Promise<void> {
  const startedAt = new Date().toISOString();
  const w = performance.now();
  const reports = await state.chaos.stopAll();
  noteFaultEnd(state);
  state.steps.push({ name: 'final-rollback', startedAt, endedAt: new Date().toISOString(), durationMs: performance.now() - w, status: reports.every((r) => r.ok) ? 'succeeded' : 'failed', output: reports });
}
