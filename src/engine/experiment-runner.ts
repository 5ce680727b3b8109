import type { SimulationBackend } from '../backends/backend.js';
import type { ChaosController } from '../chaos/chaos-controller.js';
import type { Allocator } from '../memory/allocator.js';
import type { Alert } from './alerts.js';
import type { ExperimentRecord } from './journal.js';
import { createExperimentState } from './phases/experiment-state.js';
import { runLifecycle } from './phases/lifecycle.js';
import { addTaskProbes } from './judge/task-probe.js';
import type { ExperimentSpec, Scenario } from './scenario-schema.js';
import type { PairedLayout } from './paired-controls.js';

export interface ExperimentContext {
  scenario: Scenario;
  spec: ExperimentSpec;
  index: number;
  backend: SimulationBackend;
  allocator: Allocator;
  timeScale: number;
  signal?: AbortSignal;
  /** Told of every alert as it fires. */
  onAlert?: (alert: Alert) => void;
  /** Folder for the experiment's spike recording (absent: no recording). */
  recordDir?: string;
  /** Progress in simulated ms through the experiment's plan. */
  onProgress?: (doneMs: number, totalMs: number, phase: string) => void;
  /** The controller to inject through, over `backend` (default: a new one seeded with the scenario's seed, on `allocator`). */
  chaos?: ChaosController;
  /**
   * The replica layout (paired-controls.ts): `backend` must run its batch with its noise streams.
   * @defaultValue pairedLayout(scenario, spec)
   */
  layout?: PairedLayout;
  /**
   * The paired controls' own backend and allocator, when the layout runs them separately (a fault on what
   * replicas share): built like `backend` from the same seed, at the same step, never faulted. The engine
   * steps it in lockstep with `backend`; the caller disposes it.
   */
  control?: { backend: SimulationBackend; allocator: Allocator };
}

/**
 * One experiment's lifecycle on its own simulation (and its paired controls'): warm up, take the
 * steady-state baseline, check the steady state (nothing is injected when it
 * does not hold), inject, observe (monitors and circuit breaker; the fault's
 * own check while it is active), roll back by the strategy and verify it,
 * wait for recovery (timed from the fault's end), score. Every activity is
 * journaled; the final rollback runs exactly once on every way out. The
 * phases live in `./phases/`, one file each, over one `ExperimentState`.
 */
export async function runExperiment(ctx: ExperimentContext): Promise<ExperimentRecord> {
  const state = createExperimentState(ctx);
  // task-accuracy probes present a stimulus that drives the column, so they run after the lifecycle (judge/task-probe.ts).
  return addTaskProbes(state, await runLifecycle(state));
}
