import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import { allocArray } from '../util/shared-arrays.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';

export const cpuStressSchema = z
  .object({
    kind: z.literal('cpu-stress'),
    id: z.string().min(1).max(64).optional(),
    threads: boundedNumber(1, 64, { integer: true }).default(1),
    /** Busy fraction of each thread. */
    load: boundedNumber(0, 1, { exclusiveMin: true }).default(1),
    /** Wall-clock ms; absent: until stopped. */
    durationMs: boundedNumber(0, 3_600_000, { exclusiveMin: true }).optional(),
  })
  .strict();
export type CpuStressSpec = z.infer<typeof cpuStressSchema>;

/** CPU stress: real busy threads in this process, competing with the simulation for the cores. */
export class CpuStress extends FaultBase {
  private readonly workers: Worker[];
  private readonly busyMs: Float64Array;
  private timer: NodeJS.Timeout | null = null;

  constructor(ctx: FaultContext, spec: CpuStressSpec, id: string) {
    super(id, 'cpu-stress', spec, { threads: spec.threads }, false, ctx);
    this.busyMs = allocArray(Float64Array, spec.threads, true);
    const file = new URL('./cpu-stress-worker.js', import.meta.url);
    this.workers = Array.from({ length: spec.threads }, (_, index) => {
      const w = new Worker(file, { workerData: { load: spec.load, counter: this.busyMs, index } });
      w.unref();
      return w;
    });
    if (spec.durationMs !== undefined) {
      this.timer = setTimeout(() => void this.stop(), spec.durationMs);
      this.timer.unref();
    }
  }

  /** Busy wall-clock ms accumulated by all threads. */
  get busyTotalMs(): number {
    let t = 0;
    for (const x of this.busyMs) t += x;
    return t;
  }

  private busyAtStop = 0;

  protected async undo(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.busyAtStop = this.busyTotalMs;
  }

  protected verifyActive(): VerifyResult {
    return { ok: this.busyTotalMs > 0, evidence: `${this.workers.length} burner thread(s) have been busy ${this.busyTotalMs.toFixed(0)} ms in all (load ${this.spec.load})` };
  }

  protected verifyGone(): VerifyResult {
    const now = this.busyTotalMs;
    return { ok: now === this.busyAtStop, evidence: `burner threads terminated: busy ${this.busyAtStop.toFixed(0)} ms at stop, ${now.toFixed(0)} ms now` };
  }
}
