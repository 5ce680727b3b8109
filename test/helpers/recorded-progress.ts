import { readFileSync } from 'node:fs';
import { validateRecordingBytes } from '../../src/record/read-recording.js';

/** The last step a durable spike recording covers so far; 0 while it does not exist or has no whole block yet. */
export function recordedEndStep(file: string): number {
  try {
    return validateRecordingBytes(readFileSync(file)).endStep;
  } catch {
    return 0;
  }
}

/**
 * Polls a child's durable recording (`--record F`) until it covers `step`, or
 * `maxWaitMs` passed: how far a run got, read from what it wrote, however
 * loaded the machine. A fixed sleep before a signal was not enough on a slow
 * CI machine: the signal could land before the handler, or before a step ran.
 * @returns the step reached (below `step` only when the wait ran out)
 */
export async function waitForRecordedStep(file: string, step: number, maxWaitMs = 120_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const reached = recordedEndStep(file);
    if (reached >= step || performance.now() - t0 >= maxWaitMs) return reached;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
