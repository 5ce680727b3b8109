import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./guard-overhead-child.js', import.meta.url));

/**
 * Guard overhead on the microcircuit (scale 0.1, single-threaded reference so
 * thread jitter stays out): alternating processes with guards on and off,
 * each timing 3000 steps after a 500-step warm-up; the minimum and the
 * median of each are compared (the machine is noisy).
 */
export function runGuardOverhead(resultsDir: string, log: (s: string) => void, reps = 4): void {
  const times: Record<'on' | 'off', number[]> = { on: [], off: [] };
  for (let r = 0; r < reps; r++) {
    for (const mode of ['on', 'off'] as const) {
      const out = spawnSync(process.execPath, [CHILD, mode], { encoding: 'utf8' });
      times[mode].push(Number(out.stdout.trim()));
    }
  }
  const min = (xs: number[]) => Math.min(...xs);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const byMin = min(times.on) / min(times.off) - 1;
  const byMedian = median(times.on) / median(times.off) - 1;
  log(`  guards on ${times.on.map((t) => t.toFixed(0)).join('/')} ms, off ${times.off.map((t) => t.toFixed(0)).join('/')} ms: overhead ${(byMin * 100).toFixed(1)}% (minimum), ${(byMedian * 100).toFixed(1)}% (median)`);
  writeFileSync(`${resultsDir}guard-overhead.json`, `${JSON.stringify({ steps: 3000, times, overheadByMinimum: byMin, overheadByMedian: byMedian }, null, 2)}\n`);
}
