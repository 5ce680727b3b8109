/** Wall time one chunk of run() may take before the event loop gets a turn (abort signals, SIGINT, timers). */
export const CHUNK_BUDGET_MS = 100;

/**
 * Sizes the chunks of a run so that each takes about `budgetMs` of wall
 * time, whatever a step costs on the backend: a gpu.js step in cpu mode may
 * take a hundred times a reference step, and a fixed count of steps between
 * abort checks would leave SIGINT unanswered for seconds. The cost of a step
 * is learned from the chunks already run (the first chunk of a backend's
 * life is one step, to measure it). Chunking never changes results: every
 * backend gives the same spikes however a run is cut.
 */
export class ChunkPacer {
  /** Wall ms per step of the last chunk; NaN before the first. */
  private msPerStep = Number.NaN;

  constructor(readonly budgetMs = CHUNK_BUDGET_MS) {}

  /** Steps for the next chunk: at least 1, at most `limit`. */
  next(limit: number): number {
    if (limit <= 1) return limit;
    if (Number.isNaN(this.msPerStep)) return 1;
    if (this.msPerStep <= 0) return limit;
    return Math.max(1, Math.min(limit, Math.floor(this.budgetMs / this.msPerStep)));
  }

  /** Learns from a chunk that ran `steps` steps in `wallMs`. */
  observe(steps: number, wallMs: number): void {
    if (steps > 0) this.msPerStep = wallMs / steps;
  }
}
