import type { MetricSample } from '../metrics.js';
import { outOfBand } from '../steady-state.js';
import { advance } from './advance.js';
import type { ExperimentState } from './experiment-state.js';
import { noteFaultEnd, sampleStartWallMs } from './fault-window.js';
import { activityStep } from './journal-steps.js';
import { circuitBreaker, watchAlerts } from './monitors.js';

/**
 * The step recovery is timed from: the fault's end; while a scheduled end is
 * still ahead, none yet; for a fault that never ended, the start of the
 * recovery window (the column is then judged with the fault still in).
 */
function recoveryReference(state: ExperimentState, recoveryStartStep: number | null): number | null {
  if (state.faultEndStep !== null) return state.faultEndStep;
  if (state.scheduledEndStep !== null) return null;
  return recoveryStartStep;
}

/** Feeds one sample to the recovery tracker (observation samples after the fault's end count as well). */
export function feedRecovery(state: ExperimentState, s: MetricSample, fromStep: number, inRecoveryWindow: boolean, recoveryStartStep: number | null = null): void {
  const inBand = outOfBand(s, state.bands, state.judged).length === 0;
  state.recoveryTracker.feed(fromStep, recoveryReference(state, recoveryStartStep), inBand, inRecoveryWindow, sampleStartWallMs(s, fromStep, state.dtMs));
}

/**
 * Recovery: runs until every judged metric has been in band for `holdMs`
 * (rates, synchrony and finite state; throughput and memory too when the
 * scenario says so: on a shared machine they move with the neighbours'
 * load), or the timeout. The time is simulated ms from the fault's end (its
 * expiry or its rollback, whichever came first) to the first sample of the
 * run of in-band samples; the run must reach into this window.
 */
export async function awaitRecovery(state: ExperimentState): Promise<void> {
  const { backend } = state.ctx;
  state.recoveryWatched = true;
  await activityStep(state, 'recovery', async () => {
    const startStep = backend.currentStep;
    const startWallMs = performance.now() - state.t0;
    noteFaultEnd(state);
    await advance(state, state.durations.recoveryTimeoutMs, 'recovery', {
      onSample: (s, from) => {
        noteFaultEnd(state);
        watchAlerts(state, s);
        circuitBreaker(state, s);
        feedRecovery(state, s, from, true, startStep);
        return state.recoveryTracker.recovered;
      },
    });
    const t = state.recoveryTracker;
    const ref = recoveryReference(state, startStep);
    const fromStep = t.recoveredFromStep;
    const recovered = fromStep !== null && ref !== null;
    const simMs = recovered ? Math.max(0, (fromStep - ref) * state.dtMs) : null;
    const wallMs = recovered ? Math.max(0, (t.recoveredFromWallMs ?? 0) - (state.faultEndWallMs ?? startWallMs)) : null;
    state.recovery = { recovered, simMs, wallMs, slaMet: recovered && (simMs as number) <= state.durations.slaMs };
    state.hypothesis.after = recovered;
    if (!recovered || !state.rollbackVerified) state.status = 'failed';
    return { ...state.recovery, fromMs: ref === null ? null : ref * state.dtMs };
  });
}
