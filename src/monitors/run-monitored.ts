import type { RunOptions, RunOutcome } from '../backends/backend.js';
import { stepsOfRunLength, type RunLength } from '../backends/run-length.js';
import { backendOf, type MonitorTarget } from './monitor-target.js';
import type { PopulationRateMonitor } from './population-rate-monitor.js';
import type { SpikeMonitor } from './spike-monitor.js';
import type { StateMonitor } from './state-monitor.js';

export type Monitor = SpikeMonitor | PopulationRateMonitor | StateMonitor;

const samples = (m: Monitor): m is StateMonitor => 'sampleIfDue' in m;

/**
 * Runs `target` (a backend or a ChaosController) for `length` (steps,
 * `{ durationMs }` or `{ steps }`), stopping at every sample step of the
 * state monitors to record them (Brian2's `run` with monitors attached).
 * Spike and rate monitors read the spike record and need no stops; they may
 * be passed too. A state monitor samples at its start step as well.
 * @throws InputError naming `durationMs` off the dt grid
 */
export async function runMonitored(target: MonitorTarget, length: RunLength, monitors: readonly Monitor[], options: RunOptions = {}): Promise<RunOutcome> {
  const backend = backendOf(target);
  const steps = stepsOfRunLength(length, backend.network.dtMs);
  const end = backend.currentStep + steps;
  const samplers = monitors.filter(samples);
  for (const m of samplers) m.sampleIfDue();
  let done = 0;
  while (backend.currentStep < end) {
    const now = backend.currentStep;
    const next = Math.min(end, ...samplers.map((m) => m.nextSampleStep(now)));
    const out = await target.run(next - now, options);
    done += out.stepsRun;
    for (const m of samplers) m.sampleIfDue();
    if (out.interrupted) return { stepsRun: done, interrupted: true };
  }
  return { stepsRun: done, interrupted: false };
}
