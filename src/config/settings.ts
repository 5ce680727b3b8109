import { availableParallelism } from 'node:os';

/**
 * Limits and defaults that more than one layer reads (the scenario schema,
 * the CLI flags, the backends, the registry). One definition each, with its
 * unit in the name, so that a flag, a scenario field and a backend option
 * that mean the same thing accept the same range.
 *
 * Only values that are shared live here; a value one module alone uses stays
 * beside that module.
 */

/**
 * Most replicas one backend runs side by side (`batch`, `--batch`, a
 * scenario's `batch`). Replica indices are drawn from [0, MAX_BATCH) by
 * fault targets. 4096 keeps a replica index in 12 bits and the state of
 * the scale-0.1 microcircuit at that batch within a few GiB.
 */
export const MAX_BATCH = 4096;

/**
 * Most worker threads of the workers backend (`workers`, `--workers`, a
 * scenario's `workers`); a shard index of a worker fault is below it.
 */
export const MAX_WORKERS = 256;

/** Worker threads when none are asked for: one per core the OS reports (os.availableParallelism). */
export function defaultWorkerCount(): number {
  return availableParallelism();
}

/**
 * Steps a backend runs between checks of the abort signal and progress
 * reports (RunOptions.chunkSteps): 10 ms of simulated time at dt 0.1 ms,
 * short enough that Ctrl-C stops the scale-0.1 microcircuit within a
 * fraction of a second.
 */
export const DEFAULT_CHUNK_STEPS = 100;

/**
 * In-memory restart point interval of the workers backend's supervisor
 * (checkpointEverySteps), in steps: 100 ms at dt 0.1 ms, so a lost worker
 * costs at most that much recomputation.
 */
export const DEFAULT_CHECKPOINT_EVERY_STEPS = 1000;

/** Default experiment timing of a scenario (`defaults:`), in simulated ms unless named otherwise. */
export const EXPERIMENT_DEFAULTS = {
  /** Discarded start-up transient before the baseline. */
  warmupMs: 200,
  /** Steady-state baseline window. */
  baselineMs: 500,
  /** Monitor sampling interval. */
  monitorIntervalMs: 20,
  /** Every metric must stay in band this long to count as recovered. */
  holdMs: 100,
  /** Recovery-time objective (the spec this tool follows: 30 s). */
  slaMs: 30_000,
} as const;
