import { advance } from './advance.js';
import type { ExperimentState } from './experiment-state.js';
import { activityStep } from './journal-steps.js';

/** Warm-up: runs past the start-up transient; nothing is sampled. */
export async function warmUp(state: ExperimentState): Promise<void> {
  await activityStep(state, 'warmup', async () => {
    await advance(state, state.durations.warmupMs, 'warmup');
    return { simMs: state.durations.warmupMs };
  });
}
