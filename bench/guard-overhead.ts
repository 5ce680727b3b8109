import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./guard-overhead-child.js', import.meta.url));

/**
 * Guard overhead on the microcircuit: paired blocks with guards on and off
 * in one process (guard-overhead-child.ts), repeated in `runs` fresh
 * processes; the median of the per-pair ratios is the figure.
 */
export function runGuardOverhead(resultsDir: string, log: (s: string) => void, runs = 3, pairs = 40): void {
  const results: { medianRatio: number; q1: number; q3: number; medianOnMs: number; medianOffMs: number; sameSpikes: boolean }[] = [];
  for (let r = 0; r < runs; r++) {
    const out = spawnSync(process.execPath, [CHILD, String(pairs)], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`guard overhead child failed: ${out.stderr}`);
    results.push(JSON.parse(out.stdout));
  }
  for (const x of results) log(`  guards on/off, median of ${pairs} paired 100-step blocks: ${x.medianRatio.toFixed(3)} (quartiles ${x.q1.toFixed(3)}-${x.q3.toFixed(3)}; ${x.medianOnMs.toFixed(1)} vs ${x.medianOffMs.toFixed(1)} ms per block), same spikes: ${x.sameSpikes}`);
  writeFileSync(`${resultsDir}guard-overhead.json`, `${JSON.stringify({ model: 'microcircuit scale 0.1, cpu backend', pairs, stepsPerBlock: 100, runs: results }, null, 2)}\n`);
}
