import type { ExperimentState } from './experiment-state.js';
import { noteFaultEnd } from './fault-window.js';
import { activityStep, instantStep } from './journal-steps.js';

/**
 * Rollback by the experiment's strategy (`always`, `on-deviation`: only when
 * the hypothesis during the fault failed, `never`), verified by the fault's
 * own check. A rollback that fails or cannot be verified is journaled and
 * marks the rollback unverified (integrity 0, experiment failed); the
 * lifecycle carries on to recovery.
 */
export async function rollBack(state: ExperimentState): Promise<void> {
  const fault = state.fault!;
  const strategy = state.ctx.spec.rollback ?? state.ctx.scenario.defaults.rollback;
  const due = strategy === 'always' || (strategy === 'on-deviation' && state.hypothesis.during === false);
  if (!due) {
    state.steps.push(instantStep('rollback', 'skipped', { strategy }));
    return;
  }
  await activityStep(state, 'rollback', async () => {
    state.rollbackVerified = false;
    await fault.stop();
    state.stoppedAtStep = state.ctx.backend.currentStep;
    noteFaultEnd(state);
    const v = fault.verify();
    state.rollbackVerified = v.ok;
    if (!v.ok) throw new Error(`rollback not verified: ${v.evidence}`);
    return v;
  }).catch(() => undefined);
}
