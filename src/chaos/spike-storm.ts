import { z } from 'zod';
import { regularEvents, type StormKernel } from '../../kernels/cpu/inject_storm.js';
import { poissonTable } from '../../kernels/cpu/poisson_drive.js';
import { check } from '../util/errors.js';
import { allocArray } from '../util/shared-arrays.js';
import { boundedNumber } from '../util/zod-errors.js';
import { FaultBase } from './fault-base.js';
import type { FaultContext, VerifyResult } from './fault.js';
import type { FaultHooks } from './fault-hooks.js';
import { resolveTargets, targetSchema } from './targets.js';
import { roundedSteps } from '../util/time-steps.js';

export const spikeStormSchema = z
  .object({
    kind: z.literal('spike-storm'),
    id: z.string().min(1).max(64).optional(),
    target: targetSchema.optional(),
    /** Events per second per target; at most 1/dt (10 kHz at dt = 0.1 ms). */
    rateHz: boundedNumber(0, 1e6, { exclusiveMin: true }),
    train: z.enum(['regular', 'poisson']).default('poisson'),
    amplitude: boundedNumber(-1e6, 1e6),
    unit: z.enum(['pA', 'mV']).default('pA'),
    /** Simulated ms from injection; absent: until stopped. */
    durationMs: boundedNumber(0, 1e9, { exclusiveMin: true }).optional(),
    delayMs: boundedNumber(0, 1e9).default(0),
  })
  .strict();
export type SpikeStormSpec = z.infer<typeof spikeStormSchema>;

/**
 * Spike storm: trains of input events into the targets' arriving input (the
 * ring slot of each step) or membrane, regular or Poisson, up to one event
 * per step per target. A faster storm is refused, not clipped.
 */
export class SpikeStorm extends FaultBase {
  readonly kernel: StormKernel;

  constructor(ctx: FaultContext, spec: SpikeStormSpec, id: string, private readonly hooks: FaultHooks) {
    const dt = ctx.network.dtMs;
    const maxRate = 1000 / dt;
    check(spec.rateHz <= maxRate + 1e-9, 'fault.rateHz', () => `must be at most 1/dt = ${maxRate} Hz at dt = ${dt} ms (one event per step per target is the grid's ceiling; got ${spec.rateHz})`);
    const targets = resolveTargets(ctx.network, ctx.backend.batch, spec.target, `${ctx.seed}:fault:${id}:targets`, 'fault.target');
    super(id, 'spike-storm', spec, { neurons: [...targets.neurons], replicas: targets.replicas }, false, ctx);
    const startStep = ctx.step + roundedSteps(spec.delayMs, dt, 'fault.delayMs', { minSteps: 0 });
    const endStep = spec.durationMs === undefined ? Number.MAX_SAFE_INTEGER : startStep + roundedSteps(spec.durationMs, dt, 'fault.durationMs', { minSteps: 0 });
    const ratePerStep = Math.min(1, (spec.rateHz * dt) / 1000);
    const shared = allocArray(Int32Array, targets.neurons.length, true);
    shared.set(targets.neurons);
    const replicas = allocArray(Uint8Array, ctx.backend.batch, true);
    for (const r of targets.replicas) replicas[r] = 1;
    this.kernel = {
      targets: shared,
      replicas,
      startStep,
      endStep,
      poisson: spec.train === 'poisson',
      ratePerStep,
      table: spec.train === 'poisson' ? poissonTable(ratePerStep) : null,
      amplitude: spec.amplitude,
      unitMv: spec.unit === 'mV',
      stream: stormStream(id),
      events: allocArray(Float64Array, ctx.backend.shardCount, true),
    };
    hooks.setStorm(id, this.kernel);
  }

  /** Events injected so far, over all shards. */
  get eventsInjected(): number {
    let n = 0;
    for (const x of this.kernel.events) n += x;
    return n;
  }

  /** Events a regular storm must have injected by the backend's current step. */
  expectedRegularEvents(atStep: number): number {
    const k = this.kernel;
    const last = Math.min(atStep, k.endStep);
    let perTarget = 0;
    for (let s = k.startStep; s < last; s++) perTarget += regularEvents(s - k.startStep, k.ratePerStep);
    return perTarget * k.targets.length * (this.targets.replicas?.length ?? 0);
  }

  private eventsAtStop = 0;

  protected async undo(): Promise<void> {
    this.hooks.setStorm(this.id, null);
    this.eventsAtStop = this.eventsInjected;
  }

  protected verifyActive(): VerifyResult {
    const step = this.ctx.backend.currentStep;
    const injected = this.eventsInjected;
    const k = this.kernel;
    if (step <= k.startStep) return { ok: true, evidence: `storm armed for step ${k.startStep} (now ${step}); no events due yet` };
    if (!k.poisson) {
      const expected = this.expectedRegularEvents(step);
      const evidence = `${injected} events written into the input buffers of ${k.targets.length} neurons; a regular train at ${this.spec.rateHz} Hz owes ${expected}`;
      // A miscount is a failure; a train that owed nothing (too slow for the time it had) touched nothing.
      if (injected !== expected) return { ok: false, evidence };
      if (injected === 0) return { ok: false, noEffect: true, evidence: `${evidence}: no event was due since step ${k.startStep}, so the storm touched nothing` };
      if (k.amplitude === 0) return { ok: false, noEffect: true, evidence: `${evidence}, each of amplitude 0: the targets' input is unchanged` };
      return { ok: true, evidence };
    }
    const evidence = `${injected} Poisson events written into the input buffers of ${k.targets.length} neurons since step ${k.startStep}`;
    if (injected === 0) return { ok: false, noEffect: true, evidence: `${evidence}: the storm touched nothing` };
    if (k.amplitude === 0) return { ok: false, noEffect: true, evidence: `${evidence}, each of amplitude 0: the targets' input is unchanged` };
    return { ok: true, evidence };
  }

  protected verifyGone(): VerifyResult {
    const now = this.eventsInjected;
    return { ok: now === this.eventsAtStop, evidence: `storm removed from the step effects: ${this.eventsAtStop} events at stop, ${now} now` };
  }
}

/** A counter-generator stream per storm id, far from the Poisson drive streams (population * 16 + drive). */
export function stormStream(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return 0x4000_0000 | (h >>> 2);
}
