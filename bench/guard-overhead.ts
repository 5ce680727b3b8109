import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./guard-overhead-child.js', import.meta.url));

interface ChildFigures {
  medianRatio: number;
  q1: number;
  q3: number;
  medianOnMs: number;
  medianOffMs: number;
  sameSpikes: boolean;
}

function child(pairs: number, control: boolean): ChildFigures {
  const out = spawnSync(process.execPath, [CHILD, String(pairs)], { encoding: 'utf8', env: { ...process.env, AA: control ? '1' : '' } });
  if (out.status !== 0) throw new Error(`guard overhead child failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as ChildFigures;
}

/**
 * Guard overhead on the microcircuit: in each fresh process, paired 100-step
 * blocks with guards on and off (guard-overhead-child.ts) give a median
 * ratio; the figure is the geometric mean over processes, because the code
 * the JIT makes for each kernel can differ from process to process (before
 * the kernels were warmed on scratch neurons, per-process ratios fell in two
 * groups, about 1.1 and 1.4; since, they spread about +-4%). A/A processes
 * (guards off in both) are the control.
 */
export function runGuardOverhead(resultsDir: string, log: (s: string) => void, processes = 8, pairs = 30): void {
  const ab: ChildFigures[] = [];
  const aa: ChildFigures[] = [];
  for (let r = 0; r < processes; r++) {
    ab.push(child(pairs, false));
    if (r % 4 === 0) aa.push(child(pairs, true));
  }
  const geo = (xs: ChildFigures[]) => Math.exp(xs.reduce((a, x) => a + Math.log(x.medianRatio), 0) / xs.length);
  const overhead = geo(ab);
  const control = geo(aa);
  log(`  guards on/off per process (median of ${pairs} paired 100-step blocks): ${ab.map((x) => x.medianRatio.toFixed(3)).join(', ')}`);
  log(`  geometric mean ${overhead.toFixed(3)} (overhead ${((overhead - 1) * 100).toFixed(1)}%); A/A control ${aa.map((x) => x.medianRatio.toFixed(3)).join(', ')} -> ${control.toFixed(3)}; same spikes on and off: ${ab.every((x) => x.sameSpikes)}`);
  writeFileSync(`${resultsDir}guard-overhead.json`, `${JSON.stringify({ model: 'microcircuit scale 0.1, cpu backend', pairs, stepsPerBlock: 100, geometricMeanRatio: overhead, controlGeometricMeanRatio: control, processes: ab, controls: aa }, null, 2)}\n`);
}
