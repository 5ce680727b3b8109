import { resolve } from 'node:path';
import { z } from 'zod';
import { outputFs } from '../io/output-fs.js';
import { InputError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';

export const diskFaultSchema = z
  .object({
    kind: z.literal('disk-fault'),
    id: z.string().min(1).max(64).optional(),
    /** Only output files under this folder (absent: all of the simulation's output files). */
    path: z.string().min(1).max(4096).optional(),
    latencyMs: boundedNumber(0, 60_000).default(0),
    errorRate: boundedNumber(0, 1).default(0),
    full: z.boolean().default(false),
    /** Simulated ms after which the controller stops it (absent: until stopped). */
    durationMs: boundedNumber(0, 1e9, { exclusiveMin: true }).optional(),
  })
  .strict();
export type DiskFaultSpec = z.infer<typeof diskFaultSchema>;

/**
 * Disk fault on the simulation's own output files: latency, EIO at a rate, or
 * a full disk (ENOSPC), injected in the output file layer that checkpoints
 * (and the spike recorder) write through. Nothing outside that layer is touched.
 */
export class DiskFault extends FaultBase {
  private readonly before: { eio: number; enospc: number; delayedOps: number };

  constructor(ctx: FaultContext, spec: DiskFaultSpec, id: string) {
    if (!(spec.latencyMs > 0 || spec.errorRate > 0 || spec.full)) throw new InputError('fault.latencyMs', 'give latencyMs > 0, errorRate > 0 or full: true (a disk fault must do something)');
    if (outputFs.faulted) throw new InputError('fault.kind', 'another disk-fault is already active; stop it first (one disk fault at a time)');
    super(id, 'disk-fault', spec, {}, false, ctx);
    const c = outputFs.counters;
    this.before = { eio: c.eio, enospc: c.enospc, delayedOps: c.delayedOps };
    outputFs.setFaults({
      pathPrefix: spec.path === undefined ? undefined : resolve(spec.path),
      latencyMs: spec.latencyMs,
      errorRate: spec.errorRate,
      full: spec.full,
      rng: new StreamRng(`${ctx.seed}:fault:${id}:io`),
    });
  }

  /** Injected effects since this fault began. */
  get injected(): { eio: number; enospc: number; delayedOps: number } {
    const c = outputFs.counters;
    return { eio: c.eio - this.before.eio, enospc: c.enospc - this.before.enospc, delayedOps: c.delayedOps - this.before.delayedOps };
  }

  protected async undo(): Promise<void> {
    outputFs.setFaults(null);
  }

  protected verifyActive(): VerifyResult {
    const i = this.injected;
    return { ok: outputFs.faulted, evidence: `output layer faulted: ${i.eio} EIO, ${i.enospc} ENOSPC, ${i.delayedOps} delayed operations so far` };
  }

  protected verifyGone(): VerifyResult {
    return { ok: !outputFs.faulted, evidence: outputFs.faulted ? 'the output layer is still faulted' : 'the output layer writes plainly again' };
  }
}
