import { resolve } from 'node:path';
import { z } from 'zod';
import { outputFs, type DiskFaultSettings } from '../io/output-fs.js';
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
  private readonly before: { opsInScope: number; eio: number; enospc: number; delayedOps: number };
  /** The settings this fault installed: stop and verify look for these, not for any disk fault. */
  private readonly installed: DiskFaultSettings;

  constructor(ctx: FaultContext, spec: DiskFaultSpec, id: string) {
    if (!(spec.latencyMs > 0 || spec.errorRate > 0 || spec.full)) throw new InputError('fault.latencyMs', 'give latencyMs > 0, errorRate > 0 or full: true (a disk fault must do something)');
    if (outputFs.faulted) throw new InputError('fault.kind', 'another disk-fault is already active; stop it first (one disk fault at a time)');
    super(id, 'disk-fault', spec, {}, false, ctx);
    const c = outputFs.counters;
    this.before = { opsInScope: c.opsInScope, eio: c.eio, enospc: c.enospc, delayedOps: c.delayedOps };
    this.installed = {
      pathPrefix: spec.path === undefined ? undefined : resolve(spec.path),
      latencyMs: spec.latencyMs,
      errorRate: spec.errorRate,
      full: spec.full,
      rng: new StreamRng(`${ctx.seed}:fault:${id}:io`),
    };
    outputFs.setFaults(this.installed);
  }

  /** Injected effects since this fault began. */
  get injected(): { opsInScope: number; eio: number; enospc: number; delayedOps: number } {
    const c = outputFs.counters;
    return { opsInScope: c.opsInScope - this.before.opsInScope, eio: c.eio - this.before.eio, enospc: c.enospc - this.before.enospc, delayedOps: c.delayedOps - this.before.delayedOps };
  }

  protected async undo(): Promise<void> {
    if (outputFs.hasFaults(this.installed)) outputFs.setFaults(null);
  }

  protected verifyActive(): VerifyResult {
    const i = this.injected;
    const installed = outputFs.hasFaults(this.installed);
    const evidence = `output layer faulted: ${i.opsInScope} writes and fsyncs in its scope, ${i.eio} EIO, ${i.enospc} ENOSPC, ${i.delayedOps} delayed operations so far`;
    // Before the simulation moved on, nothing was due to be written; after, a fault that no write reached acted on nothing.
    if (installed && i.opsInScope === 0 && this.ctx.backend.currentStep > this.injectedAtStep) {
      return { ok: false, noEffect: true, evidence: `${evidence}: no output file was written ${this.spec.path === undefined ? '' : `under ${this.spec.path} `}while it was active` };
    }
    return { ok: installed, evidence };
  }

  protected verifyGone(): VerifyResult {
    const mine = outputFs.hasFaults(this.installed);
    return { ok: !mine, evidence: mine ? 'the output layer still carries this fault' : outputFs.faulted ? 'this fault is lifted (another disk fault is active now)' : 'the output layer writes plainly again' };
  }
}
