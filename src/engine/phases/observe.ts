import { checkDuring, DEPARTURE_SAMPLES, overlapsFault, type DuringInputs } from '../steady-state-during.js';
import { advance, EndEarly } from './advance.js';
import type { ExperimentState } from './experiment-state.js';
import { endsOnWallClock, noteFaultEnd } from './fault-window.js';
import { activityStep } from './journal-steps.js';
import { circuitBreaker, watchAlerts } from './monitors.js';
import { feedRecovery } from './recovery.js';
import { roundedSteps } from '../../util/time-steps.js';

/**
 * Observe: runs the observation window with the monitors and the circuit
 * breaker; the steady-state hypothesis during the fault is checked on the
 * samples that overlapped the fault, against the range of the unfaulted
 * column (baseline and paired controls; see checkDuring). The fault's own `verify` runs while
 * the fault is in effect: at the last step before its scheduled end when that
 * falls inside the window (the chunk is split there), else at the window's
 * end; a fault that ends itself on the wall clock is checked at every sample
 * boundary while active, and the last check counts. Samples after the fault's
 * end already count towards its recovery.
 */
export async function observe(state: ExperimentState): Promise<void> {
  const fault = state.fault!;
  const { backend } = state.ctx;
  await activityStep(state, 'observe', async () => {
    const windowEnd = backend.currentStep + roundedSteps(state.durations.observationMs, state.dtMs, 'observationMs', { minSteps: 0 });
    const verifyAt = state.scheduledEndStep !== null ? Math.max(backend.currentStep, Math.min(windowEnd, state.scheduledEndStep - 1)) : windowEnd;
    const check = () => {
      if (!fault.stopped) state.verifyWhileActive = { ...fault.verify(), atStep: backend.currentStep };
    };
    const wallTimed = endsOnWallClock(fault);
    let samples = 0;
    const pairs: DuringInputs['pairs'][number][] = [];
    const unfaulted = state.samples.filter((s) => s.phase === 'baseline');
    const { scenario } = state.ctx;
    const judgeDuring = () => {
      const d = checkDuring({ pairs, unfaulted, bands: state.bands, judged: state.judged, tolerance: scenario.defaults.tolerance, minSamples: DEPARTURE_SAMPLES });
      state.duringCheck = d;
      // Final once the judge has run: a failing `during` probe fails it too (scoreAndRecord).
      state.hypothesis.during = d.held;
      return d;
    };
    try {
      await advance(state, state.durations.observationMs, 'fault', {
        pauseAtStep: verifyAt,
        atPause: check,
        onSample: (s, from) => {
          samples++;
          if (wallTimed) check();
          noteFaultEnd(state);
          if (overlapsFault(from, state.faultEndStep)) pairs.push({ treated: s, control: state.controlSample, fromMs: from * state.dtMs });
          if (state.controlSample) unfaulted.push(state.controlSample);
          feedRecovery(state, s, from, false);
          watchAlerts(state, s);
          circuitBreaker(state, s);
        },
      });
    } catch (e) {
      // The circuit breaker cut the window short: the samples taken so far are still checked (a signal leaves it unmeasured).
      if (e instanceof EndEarly && e.status !== 'interrupted') judgeDuring();
      throw e;
    }
    const steadyState = judgeDuring();
    const deviated = !steadyState.held;
    // A fault that acted on nothing is journaled as `no effect` (the verdict fails on it: the experiment tested nothing).
    const effect = state.verifyWhileActive === null ? null : state.verifyWhileActive.noEffect ? 'no effect' : state.verifyWhileActive.ok ? 'verified' : 'not verified';
    return { samples, deviated, steadyState, verify: state.verifyWhileActive, effect, faultEndedAtMs: state.faultEndStep === null ? null : state.faultEndStep * state.dtMs };
  });
}
