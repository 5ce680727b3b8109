import { readFileSync } from 'node:fs';
import { validateRecordingBytes } from '../../src/record/read-recording.js';

/**
 * How far a child process got, read from the child itself rather than
 * guessed with a sleep before a signal: a fixed sleep was not enough on a
 * slow CI machine (the signal could land before the handler, or before a step
 * ran). Each waits by polling until the reading reaches `atLeast`, or
 * `maxWaitMs` passed, and returns the last reading (below `atLeast` only when
 * the wait ran out).
 */
async function pollUntil(read: () => number, atLeast: number, maxWaitMs: number, everyMs: number): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const now = read();
    if (now >= atLeast || performance.now() - t0 >= maxWaitMs) return now;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** The last step a durable spike recording covers so far; 0 while it does not exist or has no whole block yet. */
export function recordedEndStep(file: string): number {
  try {
    return validateRecordingBytes(readFileSync(file)).endStep;
  } catch {
    return 0;
  }
}

/** Waits until a child's durable recording (`--record F`) covers `step`: its run is under way. */
export function waitForRecordedStep(file: string, step: number, maxWaitMs = 120_000): Promise<number> {
  return pollUntil(() => recordedEndStep(file), step, maxWaitMs, 50);
}

/** A process's resident memory in MB (Linux /proc), 0 once it is gone. */
export function residentMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Waits until a child's resident memory passes `mb`: a large network build is under way (its connectivity being filled in). */
export function waitForResidentMb(pid: number, mb: number, maxWaitMs = 120_000): Promise<number> {
  return pollUntil(() => residentMb(pid), mb, maxWaitMs, 20);
}
