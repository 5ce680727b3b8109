import { outOfBand } from '../steady-state.js';
import { STEADY_STATE_NOT_MET } from '../verdict.js';
import type { ExperimentState } from './experiment-state.js';
import { instantStep } from './journal-steps.js';

/** Baseline samples (the last ones) that must be in band for the steady state to hold before injection. */
const SAMPLES_CHECKED = 3;

/**
 * The steady-state hypothesis before injection: the last baseline samples
 * in band on the judged metrics. When it does not hold, the experiment
 * fails here and nothing is injected (Chaos Toolkit's rule: a system not in
 * its steady state tells nothing about a fault).
 * @returns whether it held
 */
export function checkSteadyStateBefore(state: ExperimentState): boolean {
  const held = state.samples.slice(-SAMPLES_CHECKED).every((s) => outOfBand(s, state.bands, state.judged).length === 0);
  state.hypothesis.before = held;
  state.steps.push(instantStep('hypothesis-before', held ? 'succeeded' : 'failed', { held }));
  if (!held) {
    state.status = 'failed';
    state.abortReason = STEADY_STATE_NOT_MET;
  }
  return held;
}
