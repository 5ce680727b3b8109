import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SimulateOptions, SimulateResult } from '../src/simulate.js';

const ENTRY = fileURLToPath(new URL('./scaling-child-entry.js', import.meta.url));

/** One simulation run in a process of its own, so its peak RSS and JIT state are its own. */
export interface ChildRun extends SimulateResult {
  /** CPU time of the run phase, every thread of the process (ms). */
  runCpuMs: number;
  /** 1-minute load average just before the process started (the machine is shared). */
  loadBefore: number;
  /** Wall ms from the end of the network build to simulate()'s return: setup, loop, result and dispose. */
  afterBuildMs: number;
}

/** What a case runs: options of `simulate` (src/simulate.ts), as JSON. */
export type ChildOptions = Pick<SimulateOptions, 'model' | 'scale' | 'kScale' | 'durationMs' | 'backend' | 'workers' | 'guards' | 'precision'>;

/**
 * Runs `simulate(options)` of the build at `root` (this checkout or the
 * baseline's) in a fresh process (bench/scaling-child-entry.ts).
 * @throws Error with the child's stderr when it exits non-zero
 */
export function simulateChild(root: string, options: ChildOptions): ChildRun {
  const loadBefore = loadavg()[0];
  const run = spawnSync(process.execPath, [ENTRY, root, JSON.stringify(options)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`simulate ${JSON.stringify(options)} in ${root} failed (exit ${run.status}): ${run.stderr}`);
  return { ...(JSON.parse(run.stdout) as SimulateResult & { runCpuMs: number; afterBuildMs: number }), loadBefore };
}

/** A built-in model at a scale (microcircuit at k-scale 1: in-degrees as at full scale). */
export function modelOptions(model: 'cuba' | 'microcircuit', scale: number, durationMs: number): ChildOptions {
  return model === 'cuba' ? { model: 'cuba', durationMs } : { model: 'microcircuit', scale, kScale: 1, durationMs };
}

export function engineOptions(workers: number | 'cpu'): ChildOptions {
  return workers === 'cpu' ? { backend: 'cpu' } : { backend: 'workers', workers };
}
