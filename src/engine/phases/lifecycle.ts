import type { ExperimentRecord } from '../journal.js';
import { EndEarly } from './advance.js';
import { takeBaseline } from './baseline.js';
import type { ExperimentState } from './experiment-state.js';
import { finalRollback } from './final-rollback.js';
import { checkSteadyStateBefore } from './hypothesis-before.js';
import { inject } from './inject.js';
import { observe } from './observe.js';
import { awaitRecovery } from './recovery.js';
import { rollBack } from './rollback.js';
import { scoreAndRecord } from './score.js';
import { warmUp } from './warmup.js';

/**
 * One experiment's lifecycle over its state: warm-up, baseline,
 * hypothesis-before (no injection when it fails), inject, observe, rollback,
 * recovery; then, on every way out (normal end, signal, circuit breaker,
 * error), the final rollback exactly once, and the score. Listeners and the
 * recording are released even when scoring throws.
 */
export async function runLifecycle(state: ExperimentState): Promise<ExperimentRecord> {
  try {
    try {
      await warmUp(state);
      await takeBaseline(state);
      if (checkSteadyStateBefore(state)) {
        await inject(state);
        await observe(state);
        await rollBack(state);
        await awaitRecovery(state);
      }
    } catch (e) {
      endEarly(state, e);
    }
    await finalRollback(state);
    return scoreAndRecord(state);
  } finally {
    if (state.recording && !state.recordingFigures) state.recording.writer.close(state.ctx.backend.currentStep);
    state.release();
  }
}

/** Records why the lifecycle ended early: a signal or the breaker (their status), anything else a failure with its message. */
function endEarly(state: ExperimentState, e: unknown): void {
  if (e instanceof EndEarly) {
    state.status = e.status;
    state.abortReason = e.message;
    // A recovery cut short by a signal was not measured (the breaker tripping in it was: the column did not recover).
    if (e.status === 'interrupted') state.recoveryWatched = false;
  } else {
    state.status = 'failed';
    state.abortReason = e instanceof Error ? e.message : String(e);
  }
}
