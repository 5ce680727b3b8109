import type { ActiveFault } from '../../chaos/fault.js';
import { kindsEndingBy } from '../../chaos/fault-kinds.js';
import type { MetricSample } from '../metrics.js';
import type { ExperimentState } from './experiment-state.js';
import { roundedSteps } from '../../util/time-steps.js';

/**
 * Kinds whose `durationMs` runs on the wall clock (burner threads, a stalled
 * worker), so their end has no step known in advance; every other kind's
 * `durationMs` is simulated time (storms and partitions end inside their
 * kernels, the controller stops the rest at their step). From the kind
 * registry: each descriptor's `durationEndsBy`.
 */
const WALL_CLOCK_DURATION_KINDS: ReadonlySet<string> = kindsEndingBy('wall-clock');

/** Whether the fault's own duration ends it on the wall clock (its end is seen, not scheduled). */
export function endsOnWallClock(fault: ActiveFault): boolean {
  return WALL_CLOCK_DURATION_KINDS.has(fault.kind) && typeof fault.spec.durationMs === 'number';
}

/**
 * The step at which a fault's own `durationMs` (after its `delayMs`, for
 * storms) ends its effect, or null when it has none in simulated time.
 * At least one step after injection, as the controller schedules it.
 */
export function scheduledEndStep(fault: ActiveFault, dtMs: number): number | null {
  const durationMs = fault.spec.durationMs;
  if (typeof durationMs !== 'number' || WALL_CLOCK_DURATION_KINDS.has(fault.kind)) return null;
  const delaySteps = typeof fault.spec.delayMs === 'number' ? roundedSteps(fault.spec.delayMs, dtMs, 'fault.delayMs', { minSteps: 0 }) : 0;
  return fault.injectedAtStep + delaySteps + Math.max(1, roundedSteps(durationMs, dtMs, 'fault.durationMs', { minSteps: 0 }));
}

/**
 * Notes the step at which the fault stopped acting, the first time it is
 * seen to have: its scheduled end once the simulation reached it, else the
 * rollback's step, else (a fault that ended itself on the wall clock) the
 * current step, the first sample boundary at which it was seen stopped.
 */
export function noteFaultEnd(state: ExperimentState): void {
  const f = state.fault;
  if (!f || state.faultEndStep !== null) return;
  const now = state.ctx.backend.currentStep;
  if (state.scheduledEndStep !== null && state.scheduledEndStep <= now) state.faultEndStep = state.scheduledEndStep;
  else if (f.stopped) state.faultEndStep = state.stoppedAtStep ?? now;
  if (state.faultEndStep !== null) state.faultEndWallMs = performance.now() - state.t0;
}

/** Wall ms (since the experiment started) at the first step a sample covers. */
export function sampleStartWallMs(s: MetricSample, fromStep: number, dtMs: number): number {
  const steps = roundedSteps(s.tMs, dtMs, 'tMs', { minSteps: 0 }) - fromStep;
  return s.wallMs - s.stepLatencyMs * steps;
}
