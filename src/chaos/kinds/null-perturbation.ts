import fc from 'fast-check';
import { z } from 'zod';
import { boundedNumber } from '../../util/zod-errors.js';
import { FaultBase } from '../fault-base.js';
import type { FaultContext, VerifyResult } from '../fault.js';
import type { FaultHooks } from '../fault-hooks.js';
import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';
import { SpikeStorm } from '../spike-storm.js';
import { resolveTargets, targetSchema, type TargetSpec } from '../targets.js';

/**
 * Default kick (mV) added to the target's membrane potential: enough to take
 * it over threshold from any potential a running microcircuit holds, so the
 * neuron fires once (then resets). Measured: at scale 0.02 (full in-degrees)
 * L4E membranes sit as low as -130 mV under inhibition, 80 mV below the
 * threshold (-50 mV; Potjans & Diesmann 2014, Cereb. Cortex 24:785, Table 5),
 * where a 20 nA input current (about +40 mV) left a quarter of the neurons
 * silent. A kick that does not make the neuron fire may leave every spike
 * time as it was (the difference decays below float resolution): the paired
 * replicas would not diverge and the A/A trial would test nothing.
 */
export const FIRING_KICK_MV = 200;

export const nullPerturbationSchema = z
  .object({
    kind: z.literal('null-perturbation'),
    id: z.string().min(1).max(64).optional(),
    /** Where the perturbed neuron is drawn from; without count, percent or neurons, one neuron of it. @defaultValue one neuron of the whole network */
    target: targetSchema.optional(),
    /** Added to the target's membrane potential at injection (mV; nothing while it is refractory). @defaultValue 200 (FIRING_KICK_MV: the target fires once) */
    kickMv: boundedNumber(-1e4, 1e4).default(FIRING_KICK_MV),
    /** Simulated ms the fault counts as active (the span a judge compares); the event itself lands in the first step. Absent: until stopped. */
    durationMs: boundedNumber(0, 1e9, { exclusiveMin: true }).optional(),
  })
  .strict();
export type NullPerturbationSpec = z.infer<typeof nullPerturbationSchema>;

/** The target with one neuron drawn when it names no count, percent or neurons: the null perturbation's default blast radius. */
export function nullPerturbationTarget(target: TargetSpec | undefined): TargetSpec {
  const t = target ?? {};
  return t.count === undefined && t.percent === undefined && t.neurons === undefined ? { ...t, count: 1 } : t;
}

/**
 * A/A fault: one kick to the membrane of one neuron (per treated replica) at
 * injection, by default over threshold, so the neuron fires once; then nothing.
 * The replica's trajectory diverges from its
 * control's from that step on, as under any real fault, but its statistics
 * do not change: a judge that fails it raised a false alarm. It counts as
 * active for `durationMs` (the controller stops it), so the judge compares
 * the same span it would for a real fault of that duration. The kick is a
 * one-step regular spike storm in mV (the storm kernel of `spike-storm`).
 */
export class NullPerturbation extends FaultBase {
  private readonly storm: SpikeStorm;

  constructor(ctx: FaultContext, spec: NullPerturbationSpec, id: string, hooks: FaultHooks) {
    const dt = ctx.network.dtMs;
    // One event per target in the injection step: a regular train at one event per step, for one step, onto the membrane.
    const storm = new SpikeStorm(ctx, { kind: 'spike-storm', target: nullPerturbationTarget(spec.target), rateHz: 1000 / dt, train: 'regular', amplitude: spec.kickMv, unit: 'mV', durationMs: dt, delayMs: 0 }, id, hooks);
    super(id, 'null-perturbation', spec, storm.targets, false, ctx);
    this.storm = storm;
  }

  protected async undo(): Promise<void> {
    await this.storm.stop();
  }

  protected verifyActive(): VerifyResult {
    const v = this.storm.verify();
    return { ...v, evidence: `null perturbation: ${v.evidence}` };
  }

  protected verifyGone(): VerifyResult {
    return this.storm.verify();
  }
}

/** Null perturbation: the A/A control of a judge (one extra spike of one neuron; the statistics unchanged). */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const nullPerturbationKind: FaultKindDescriptor<'null-perturbation', typeof nullPerturbationSchema> = defineFaultKind({
  kind: 'null-perturbation',
  schema: nullPerturbationSchema,
  perReplica: true,
  // The event lands in one step; the span it counts as active is the controller's to end.
  durationEndsBy: 'controller',
  actsOn: ['input'],
  requires: ['storm-injection'],
  report: { summary: 'one membrane kick to one neuron at injection, by default over threshold so that it fires once (an A/A control: the trajectory diverges, the statistics do not change; a failing probe is a false alarm)' },
  emptyScope(spec, plan, id) {
    if (spec.kickMv === 0) return { field: `${plan.root}.kickMv`, reason: 'a kick of 0 mV changes nothing in its target (give a non-zero kick)' };
    const t = resolveTargets(plan.network, plan.batch, nullPerturbationTarget(spec.target), `${plan.seed}:fault:${id}:targets`, `${plan.root}.target`);
    if (t.neurons.length === 0 || t.replicas.length === 0) return { field: `${plan.root}.target`, reason: 'its target selects no (replica, neuron)' };
    return null;
  },
  planTargets(spec, id, plan) {
    const t = resolveTargets(plan.network, plan.batch, nullPerturbationTarget(spec.target), `${plan.seed}:fault:${id}:targets`, `${plan.root}.target`);
    return { neurons: [...t.neurons], replicas: t.replicas };
  },
  inject: (ctx, spec, id, env) => new NullPerturbation(ctx, spec, id, env.hooks),
  fuzzable: () => null,
  arbitrary(network, c, t) {
    const s = nullPerturbationSchema.shape;
    return t.spec('null-perturbation', {
      target: t.opt(t.target(network, c.batch ?? 1)),
      // A kick of 0 acts on nothing; planning refuses it.
      kickMv: t.opt(t.numberFrom(s.kickMv).filter((a) => a !== 0)),
      durationMs: t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)),
    });
  },
});
