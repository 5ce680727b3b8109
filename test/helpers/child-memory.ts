import { readFileSync } from 'node:fs';

/** A process's resident memory in MB (Linux /proc), 0 once it is gone. */
export function residentMb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/**
 * Polls a child until its resident memory passes `mb`, or `maxWaitMs`
 * passed: a sign read from the child itself that a large network build is
 * under way (its connectivity being filled in), where a fixed sleep would
 * guess, and guess wrong on a slow machine.
 * @returns the last reading (below `mb` only when the wait ran out)
 */
export async function waitForResidentMb(pid: number, mb: number, maxWaitMs = 120_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const now = residentMb(pid);
    if (now >= mb || performance.now() - t0 >= maxWaitMs) return now;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
