import { z } from 'zod';
import { defaultAllocator, type Allocator, type AllocatorPressure as Pressure } from '../memory/allocator.js';
import { InputError } from '../util/errors.js';
import { StreamRng } from '../util/rng.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';

export const allocatorPressureSchema = z
  .object({
    kind: z.literal('allocator-pressure'),
    id: z.string().min(1).max(64).optional(),
    /** Squeeze the allocator's free budget to this fraction. */
    freeFraction: boundedNumber(0, 1).optional(),
    /** Fail this fraction of allocations. */
    failureRate: boundedNumber(0, 1).optional(),
    /** Add this latency (wall ms) to every allocation. */
    latencyMs: boundedNumber(0, 10_000).optional(),
    /** Real host memory pressure: allocate and touch this many bytes until stopped. */
    hostBytes: boundedNumber(0, 2 ** 36, { integer: true }).optional(),
    /** Simulated ms after which the controller stops it (absent: until stopped). */
    durationMs: boundedNumber(0, 1e9, { exclusiveMin: true }).optional(),
  })
  .strict();
export type AllocatorPressureSpec = z.infer<typeof allocatorPressureSchema>;

const PAGE = 4096;

/** Whether some part of the spec changes anything: a budget below full, failures, latency or host memory. */
export function allocatorPressureActs(spec: AllocatorPressureSpec): boolean {
  return (spec.freeFraction !== undefined && spec.freeFraction < 1) || (spec.failureRate ?? 0) > 0 || (spec.latencyMs ?? 0) > 0 || (spec.hostBytes ?? 0) > 0;
}

/**
 * Allocator pressure: squeezes the simulation allocator's budget, fails a
 * fraction of its allocations or slows them; and, separately, real host
 * memory pressure (bytes allocated and touched, so they are resident).
 * What the simulation does under it is the resilience layer's business; here
 * the pressure is real and measured.
 */
export class AllocatorPressure extends FaultBase {
  private readonly allocator: Allocator;
  private hostBlocks: Uint8Array[] = [];
  readonly hostBytesHeld: number;
  /** The pressure this fault installed (null: host memory only); stop and verify look for this one, not any. */
  private readonly installed: Pressure | null = null;
  /** Allocations asked for (granted or refused) before it began: failures and latency act only on later ones. */
  private readonly attemptsBefore: number;

  constructor(ctx: FaultContext, spec: AllocatorPressureSpec, id: string, allocator: Allocator = defaultAllocator) {
    const allocatorPart = spec.freeFraction !== undefined || (spec.failureRate ?? 0) > 0 || (spec.latencyMs ?? 0) > 0;
    if (!allocatorPart && !spec.hostBytes) throw new InputError('fault.freeFraction', 'give freeFraction, failureRate > 0, latencyMs > 0 or hostBytes > 0');
    if (allocatorPart && allocator.underPressure) throw new InputError('fault.kind', 'the allocator is already under pressure; stop that fault first');
    super(id, 'allocator-pressure', spec, {}, false, ctx);
    this.allocator = allocator;
    const s0 = allocator.stats();
    this.attemptsBefore = s0.allocations + s0.failures;
    if (allocatorPart) {
      this.installed = { freeFraction: spec.freeFraction, failureRate: spec.failureRate, latencyMs: spec.latencyMs, rng: new StreamRng(`${ctx.seed}:fault:${id}:allocations`) };
      allocator.setPressure(this.installed);
    }
    let held = 0;
    const total = spec.hostBytes ?? 0;
    while (held < total) {
      const size = Math.min(total - held, 256 * 1024 * 1024);
      const block = new Uint8Array(size);
      for (let i = 0; i < size; i += PAGE) block[i] = 1; // touch every page: resident, not just reserved
      this.hostBlocks.push(block);
      held += size;
    }
    this.hostBytesHeld = held;
  }

  protected async undo(): Promise<void> {
    if (this.installed && this.allocator.hasPressure(this.installed)) this.allocator.setPressure(null);
    this.hostBlocks = [];
  }

  protected verifyActive(): VerifyResult {
    const s = this.allocator.stats();
    const parts = [];
    let ok = true;
    if (this.spec.freeFraction !== undefined) {
      parts.push(`budget squeezed to ${s.effectiveBudgetBytes} of ${s.budgetBytes} bytes (${s.inUseBytes} in use)`);
      ok &&= s.effectiveBudgetBytes < s.budgetBytes || s.inUseBytes >= s.budgetBytes;
    }
    if (this.spec.failureRate || this.spec.latencyMs) {
      parts.push(`${s.failures} allocation failures, max latency ${s.maxLatencyMs.toFixed(1)} ms so far`);
      ok &&= this.allocator.underPressure;
    }
    if (this.hostBytesHeld > 0) {
      const touched = this.hostBlocks.reduce((a, b) => a + (b[0] === 1 ? b.length : 0), 0);
      parts.push(`${touched} host bytes allocated and touched`);
      ok &&= touched === this.hostBytesHeld;
    }
    // What acted: a budget below full, held host memory, or failures/latency that met an allocation.
    const attempts = s.allocations + s.failures - this.attemptsBefore;
    const squeezed = this.installed !== null && this.spec.freeFraction !== undefined && s.effectiveBudgetBytes < s.budgetBytes;
    const metAllocations = this.installed !== null && (Boolean(this.spec.failureRate) || Boolean(this.spec.latencyMs)) && attempts > 0;
    const acted = squeezed || this.hostBytesHeld > 0 || metAllocations;
    const ran = this.ctx.backend.currentStep > this.injectedAtStep;
    if (!acted && (ran || !allocatorPressureActs(this.spec as AllocatorPressureSpec))) {
      return { ok: false, noEffect: true, evidence: `${parts.join('; ')}; ${attempts} allocations asked for since it began: the pressure met nothing` };
    }
    return { ok, evidence: parts.join('; ') };
  }

  protected verifyGone(): VerifyResult {
    const s = this.allocator.stats();
    // Another allocator-pressure fault may be in force now: what matters is that this one's is not.
    const mine = this.installed !== null && this.allocator.hasPressure(this.installed);
    return { ok: !mine && this.hostBlocks.length === 0, evidence: `${mine ? 'its pressure is still in force' : 'its pressure is lifted'} (budget now ${s.effectiveBudgetBytes} of ${s.budgetBytes} bytes${this.allocator.underPressure ? ', another fault squeezes it' : ''}); host blocks held: ${this.hostBlocks.length}` };
  }
}
