import type { RunOptions, RunOutcome, SimulationBackend } from '../backends/backend.js';
import type { RunLength } from '../backends/run-length.js';

/** What a monitor watches and a monitored run advances: a backend, or a ChaosController driving one. */
export type MonitorTarget = SimulationBackend | { readonly backend: SimulationBackend; run(length: RunLength, options?: RunOptions): Promise<RunOutcome> };

/** The backend behind a target. */
export function backendOf(target: MonitorTarget): SimulationBackend {
  return 'recorder' in target ? target : target.backend;
}
