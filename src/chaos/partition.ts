import { z } from 'zod';
import { MAX_WORKERS } from '../config/settings.js';
import type { PartitionKernel } from '../../kernels/cpu/deliver_partitioned.js';
import { partitionHeadroomSteps, PARTITION_DELAY_HEADROOM_MS } from '../backends/simulation-state.js';
import { requireCapability } from '../backends/capabilities.js';
import { check, InputError } from '../util/errors.js';
import { allocArray } from '../util/shared-arrays.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';
import { roundedSteps } from '../util/time-steps.js';

const sideSchema = z
  .object({
    populations: z.array(z.string().min(1)).min(1).max(1000).optional(),
    shards: z.array(boundedNumber(0, MAX_WORKERS - 1, { integer: true })).min(1).max(MAX_WORKERS).optional(),
    /** Every shard (or population) not on the other side. */
    rest: z.literal(true).optional(),
  })
  .strict()
  .refine((s) => [s.populations, s.shards, s.rest].filter((x) => x !== undefined).length === 1, { message: 'give exactly one of populations, shards or rest: true' });

export const partitionSchema = z
  .object({
    kind: z.literal('partition'),
    id: z.string().min(1).max(64).optional(),
    /** Spikes from `from` to `to` are cut; with direction both, also from `to` to `from`. */
    from: sideSchema,
    to: sideSchema,
    direction: z.enum(['one-way', 'both']).default('both'),
    mode: z.enum(['drop', 'delay']).default('drop'),
    /** delay: extra transmission delay in ms (at most the ring's headroom). */
    extraDelayMs: boundedNumber(0, 1e6, { exclusiveMin: true }).optional(),
    /** Simulated ms; absent: until stopped. */
    durationMs: boundedNumber(0, 1e9, { exclusiveMin: true }).optional(),
  })
  .strict();
export type PartitionSpec = z.infer<typeof partitionSchema>;

/**
 * Partition: the simulator's counterpart of a network partition between
 * cluster nodes. Spikes crossing between chosen populations or shards are
 * dropped, or delayed, for a duration, in the delivery kernels of every
 * backend (shards exist on the workers backend only).
 */
export class Partition extends FaultBase {
  readonly kernels: PartitionKernel[];

  constructor(ctx: FaultContext, spec: PartitionSpec, id: string, private readonly hooks: { setPartitions(id: string, kernels: PartitionKernel[] | null): void }) {
    if (spec.mode === 'delay' && spec.extraDelayMs === undefined) throw new InputError('fault.extraDelayMs', `is required for mode delay (in (0, ${PARTITION_DELAY_HEADROOM_MS}] ms)`);
    const dt = ctx.network.dtMs;
    const extraSteps = spec.mode === 'delay' ? Math.max(1, roundedSteps(spec.extraDelayMs!, dt, 'fault.extraDelayMs', { minSteps: 0 })) : 0;
    check(extraSteps <= partitionHeadroomSteps(ctx.network), 'fault.extraDelayMs', () => `must be at most ${PARTITION_DELAY_HEADROOM_MS} ms, the delay headroom of the ring buffers (got ${spec.extraDelayMs})`);
    if (spec.from.rest && spec.to.rest) throw new InputError('fault.to.rest', 'only one side can be the rest');
    const a = spec.from.rest ? restOf(ctx, spec.to, 'fault.to') : rangesOf(ctx, spec.from, 'fault.from');
    const b = spec.to.rest ? restOf(ctx, spec.from, 'fault.from') : rangesOf(ctx, spec.to, 'fault.to');
    super(id, 'partition', spec, {}, false, ctx);
    const startStep = ctx.step;
    const endStep = spec.durationMs === undefined ? Number.MAX_SAFE_INTEGER : startStep + roundedSteps(spec.durationMs, dt, 'fault.durationMs', { minSteps: 0 });
    const make = (src: Int32Array, tgt: Int32Array): PartitionKernel => ({
      sourceRanges: src,
      targetRanges: tgt,
      startStep,
      endStep,
      drop: spec.mode === 'drop',
      extraSteps,
      affected: allocArray(Float64Array, ctx.backend.shardCount, true),
    });
    this.kernels = spec.direction === 'both' ? [make(a, b), make(b, a)] : [make(a, b)];
    hooks.setPartitions(id, this.kernels);
  }

  /** Synapse activations dropped or delayed so far. */
  get affected(): number {
    let n = 0;
    for (const k of this.kernels) for (const x of k.affected) n += x;
    return n;
  }

  private affectedAtStop = 0;

  protected async undo(): Promise<void> {
    this.hooks.setPartitions(this.id, null);
    this.affectedAtStop = this.affected;
  }

  protected verifyActive(): VerifyResult {
    const n = this.affected;
    const ran = this.ctx.backend.currentStep > this.injectedAtStep;
    const evidence = `${n} synapse activations ${this.spec.mode === 'drop' ? 'dropped' : 'delayed'} across the partition since step ${this.injectedAtStep}`;
    if (!ran) return { ok: true, evidence: `partition in the step effects from step ${this.injectedAtStep}; no step has run yet` };
    // No spike crossed while it stood (no synapse crosses it, or its sources were silent): it cut nothing.
    if (n === 0) return { ok: false, noEffect: true, evidence: `${evidence}: it cut nothing` };
    return { ok: true, evidence };
  }

  protected verifyGone(): VerifyResult {
    const n = this.affected;
    return { ok: n === this.affectedAtStop, evidence: `partition lifted: ${this.affectedAtStop} activations cut before, ${n} now` };
  }
}

/** The complement of the other side: the other populations, or the other shards. */
function restOf(ctx: FaultContext, other: { populations?: string[]; shards?: number[] }, field: string): Int32Array {
  if (other.populations) {
    const names = ctx.network.populations.map((p) => p.name).filter((n) => !other.populations!.includes(n));
    if (names.length === 0) throw new InputError(field, 'leaves no population for the rest');
    return rangesOf(ctx, { populations: names }, field);
  }
  const backend = shardLayoutOf(ctx, field);
  const shards = Array.from({ length: backend.workers }, (_, k) => k).filter((k) => !other.shards!.includes(k));
  if (shards.length === 0) throw new InputError(field, `leaves no shard for the rest (the run has ${backend.workers} worker(s))`);
  return rangesOf(ctx, { shards }, field);
}

function shardLayoutOf(ctx: FaultContext, field: string) {
  return requireCapability(ctx.backend, 'shard-layout', `${field}.shards`, 'partition by shards', `shards exist on the workers backend only (this run uses "${ctx.backend.name}"); partition populations instead`);
}

function rangesOf(ctx: FaultContext, side: { populations?: string[]; shards?: number[]; rest?: true }, field: string): Int32Array {
  const out: number[] = [];
  if (side.populations) {
    side.populations.forEach((name, i) => {
      const p = ctx.network.populations.find((x) => x.name === name);
      if (!p) throw new InputError(`${field}.populations[${i}]`, `unknown population "${name}" (known: ${ctx.network.populations.map((x) => x.name).join(', ')})`);
      out.push(p.start, p.start + p.size);
    });
  } else {
    const backend = shardLayoutOf(ctx, field);
    side.shards!.forEach((k, i) => {
      if (k >= backend.workers) throw new InputError(`${field}.shards[${i}]`, `must be a shard in [0, ${backend.workers - 1}] (got ${k})`);
      for (const r of backend.shards[k].ranges) if (r.hi > r.lo) out.push(r.lo, r.hi);
    });
  }
  const pairs: [number, number][] = [];
  for (let i = 0; i < out.length; i += 2) pairs.push([out[i], out[i + 1]]);
  pairs.sort((x, y) => x[0] - y[0]);
  return Int32Array.from(pairs.flat());
}
