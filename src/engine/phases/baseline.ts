import { AlertMonitor } from '../alerts.js';
import { baselineBands } from '../steady-state.js';
import { advance } from './advance.js';
import type { ExperimentState } from './experiment-state.js';
import { activityStep } from './journal-steps.js';

/**
 * Baseline: samples the unfaulted column and derives the steady-state band
 * of every metric. Alerts the rules would raise on these samples are counted
 * as false alarms.
 */
export async function takeBaseline(state: ExperimentState): Promise<void> {
  await activityStep(state, 'baseline', async () => {
    await advance(state, state.durations.baselineMs, 'baseline');
    state.bands = baselineBands(state.samples, state.ctx.scenario.defaults.tolerance);
    const baselineMonitor = new AlertMonitor();
    for (const b of state.samples) state.falseAlarms += baselineMonitor.evaluate(b, state.bands, { scrubberFindings: 0 }).length;
    return { samples: state.samples.length, bands: state.bands, falseAlarms: state.falseAlarms };
  });
}
