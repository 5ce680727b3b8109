import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { median, quantile } from 'simple-statistics';
import { simulateChild, type ChildOptions, type ChildRun } from './scaling-child.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const TOGGLE_CHILD = fileURLToPath(new URL('./guard-toggle-child.js', import.meta.url));

/** Guards on / off must cost at most this ratio (issue 21). */
export const GUARD_TARGET_RATIO = 1.05;

/** One arm: the microcircuit at scale 0.1 (k-scale 1) on the cpu backend, guards on or off. */
export function guardArm(on: boolean, durationMs: number): ChildOptions {
  return { model: 'microcircuit', scale: 0.1, kScale: 1, durationMs, backend: 'cpu', guards: { enabled: on } };
}

/** What one arm's process reports (a subset of bench/scaling-child.ts's ChildRun). */
export type ArmRun = Pick<ChildRun, 'wallMs' | 'runCpuMs' | 'spikeHash' | 'loadBefore'>;

/** Runs one arm in a fresh process and returns its figures. */
export type ArmRunner = (options: ChildOptions) => ArmRun;

export interface PairedFigures {
  pairs: number;
  /** Median over pairs of (first arm wall / second arm wall), with quartiles; and of the CPU-time ratios. */
  medianRatio: number;
  q1: number;
  q3: number;
  medianCpuRatio: number;
  aWallMs: number[];
  bWallMs: number[];
  aCpuMs: number[];
  bCpuMs: number[];
  /** The two arms gave the same spikes in every pair (the guards change no spike of the healthy microcircuit). */
  sameSpikes: boolean;
  loadBefore: number[];
}

export interface GuardOverheadFigures {
  model: string;
  durationMs: number;
  /** Guards on (a) against off (b). */
  overhead: PairedFigures;
  /** Guards off against off (A/A): the bench's own noise; null when no control pairs ran. */
  control: PairedFigures | null;
  target: number;
  met: boolean;
}

/**
 * Pairs of fresh processes, one per arm, the order flipped every pair (a
 * drift of the machine's load hits both arms alike); each pair gives the
 * ratio a / b of the run phase's wall time (network build excluded) and of
 * its CPU time. Returns the medians over pairs.
 */
export function pairedRuns(a: ChildOptions, b: ChildOptions, pairs: number, run: ArmRunner, log: (line: string) => void, label: string): PairedFigures {
  const ra: ArmRun[] = [];
  const rb: ArmRun[] = [];
  for (let p = 0; p < pairs; p++) {
    if (p % 2 === 0) {
      ra.push(run(a));
      rb.push(run(b));
    } else {
      rb.push(run(b));
      ra.push(run(a));
    }
    log(`    ${label} pair ${p + 1}: ${(ra[p].wallMs / 1000).toFixed(3)} s / ${(rb[p].wallMs / 1000).toFixed(3)} s -> ${(ra[p].wallMs / rb[p].wallMs).toFixed(3)} (cpu ${(ra[p].runCpuMs / rb[p].runCpuMs).toFixed(3)}, load ${ra[p].loadBefore.toFixed(1)})`);
  }
  const ratios = ra.map((x, i) => x.wallMs / rb[i].wallMs);
  return {
    pairs,
    medianRatio: median(ratios),
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
    medianCpuRatio: median(ra.map((x, i) => x.runCpuMs / rb[i].runCpuMs)),
    aWallMs: ra.map((x) => x.wallMs),
    bWallMs: rb.map((x) => x.wallMs),
    aCpuMs: ra.map((x) => x.runCpuMs),
    bCpuMs: rb.map((x) => x.runCpuMs),
    sameSpikes: ra.every((x, i) => x.spikeHash === rb[i].spikeHash),
    loadBefore: ra.map((x) => x.loadBefore),
  };
}

/**
 * The guards' cost on the microcircuit (scale 0.1, cpu backend): `pairs`
 * pairs of processes, guards on in one and off in the other (pairedRuns),
 * and `controlPairs` A/A pairs (off in both), whose median ratio is the
 * bench's own noise. Each arm runs in its own process because two
 * simulations in one process differ by up to 10% whatever their guards
 * (where their memory lands: docs/performance.md, "Guards"), which hid a 5%
 * target when the arms shared a process.
 */
export function measureGuardOverhead(pairs: number, controlPairs: number, log: (line: string) => void, durationMs = 1000, run: ArmRunner = (o) => simulateChild(REPO, o)): GuardOverheadFigures {
  if (!Number.isInteger(pairs) || pairs < 1) throw new Error(`guard overhead: pairs must be an integer >= 1 (got ${pairs})`);
  log(`  guards on / off (microcircuit 0.1, cpu, ${durationMs} ms, ${pairs} pairs of processes${controlPairs > 0 ? `, ${controlPairs} A/A control pairs` : ''}) ...`);
  const on = guardArm(true, durationMs);
  const off = guardArm(false, durationMs);
  const overhead = pairedRuns(on, off, pairs, run, log, 'on/off');
  const control = controlPairs > 0 ? pairedRuns(off, off, controlPairs, run, log, 'off/off') : null;
  const met = overhead.medianRatio <= GUARD_TARGET_RATIO;
  log(
    `    median on/off ${overhead.medianRatio.toFixed(3)} (quartiles ${overhead.q1.toFixed(3)}-${overhead.q3.toFixed(3)}, CPU time ${overhead.medianCpuRatio.toFixed(3)})` +
      `${control ? `; A/A control ${control.medianRatio.toFixed(3)} (quartiles ${control.q1.toFixed(3)}-${control.q3.toFixed(3)})` : ''}; same spikes: ${overhead.sameSpikes}; target <= ${GUARD_TARGET_RATIO}: ${met ? 'met' : 'MISSED'}`,
  );
  return { model: 'microcircuit scale 0.1, cpu backend', durationMs, overhead, control, target: GUARD_TARGET_RATIO, met };
}

/** The guards' own cost with memory placement taken out (bench/guard-toggle-child.ts): per process, the median CPU-time ratio of blocks with the guard kernel on / off in one backend. */
export function guardToggle(processes: number, log: (line: string) => void): number[] {
  const medians: number[] = [];
  for (let k = 0; k < processes; k++) {
    const out = spawnSync(process.execPath, [TOGGLE_CHILD, '40', '200'], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`guard toggle child failed: ${out.stderr}`);
    medians.push((JSON.parse(out.stdout) as { medianRatio: number }).medianRatio);
  }
  log(`    one backend, guard kernel toggled (CPU time, 40 pairs of 200-step blocks) per process: ${medians.map((x) => x.toFixed(3)).join(', ')}`);
  return medians;
}

/**
 * `npm run bench -- --suite guards [--pairs N]`: measureGuardOverhead with N
 * pairs (at least 5) and 3 control pairs, and guardToggle in 3 processes;
 * writes bench/results/guard-overhead.json.
 */
export function runGuardOverhead(resultsDir: string, log: (s: string) => void, pairs = 7): GuardOverheadFigures & { toggledPerProcess: number[] } {
  const figures = { ...measureGuardOverhead(Math.max(5, pairs), 3, log), toggledPerProcess: guardToggle(3, log) };
  writeFileSync(`${resultsDir}guard-overhead.json`, `${JSON.stringify(figures, null, 2)}\n`);
  log('  wrote bench/results/guard-overhead.json');
  return figures;
}
