import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { SimulateResult } from '../src/simulate.js';

/** One `neurochaos simulate` run in a process of its own, so its peak RSS and JIT state are its own. */
export interface ChildRun extends SimulateResult {
  /** 1-minute load average just before the process started (the machine is shared). */
  loadBefore: number;
}

/**
 * Runs `node <bin> simulate <args> --json` and parses its result.
 * @throws Error with the child's stderr when it exits non-zero
 */
export function simulateChild(bin: string, args: string[]): ChildRun {
  const loadBefore = loadavg()[0];
  const run = spawnSync(process.execPath, [bin, 'simulate', ...args, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`simulate ${args.join(' ')} failed (exit ${run.status}): ${run.stderr}`);
  return { ...(JSON.parse(run.stdout) as SimulateResult), loadBefore };
}

/** Flags of `neurochaos simulate` for a model at a scale (microcircuit k-scale 1: in-degrees as at full scale). */
export function modelArgs(model: 'cuba' | 'microcircuit', scale: number, durationMs: number): string[] {
  return model === 'cuba' ? ['--model', 'cuba', '--duration', String(durationMs)] : ['--model', 'microcircuit', '--scale', String(scale), '--k-scale', '1', '--duration', String(durationMs)];
}

export function engineArgs(workers: number | 'cpu'): string[] {
  return workers === 'cpu' ? ['--backend', 'cpu'] : ['--backend', 'workers', '--workers', String(workers)];
}
