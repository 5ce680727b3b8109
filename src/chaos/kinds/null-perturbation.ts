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
 * Default amplitude (pA) of the one input event: enough to make a neuron at
 * rest fire once. On the microcircuit's neuron (Potjans & Diesmann 2014,
 * Cereb. Cortex 24:785, Table 5: C 250 pF, tau_syn 0.5 ms, threshold 15 mV
 * above reset) a current step of A pA decaying with tau_syn peaks near
 * A * tau_syn / C = 0.002 mV/pA: 20000 pA is about 36 mV. An ordinary input
 * spike (w = 87.8 pA, 0.18 mV) may leave every spike time as it was, the
 * difference then decaying below float resolution: the paired replicas would
 * not diverge and the A/A run would test nothing.
 */
export const FIRING_KICK_PA = 20000;

export const nullPerturbationSchema = z
  .object({
    kind: z.literal('null-perturbation'),
    id: z.string().min(1).max(64).optional(),
    /** Where the perturbed neuron is drawn from; without count, percent or neurons, one neuron of it. @defaultValue one neuron of the whole network */
    target: targetSchema.optional(),
    /** The one input event's amplitude (pA) into the target's synaptic input. @defaultValue 20000 (FIRING_KICK_PA: the target fires once) */
    amplitudePa: boundedNumber(-1e6, 1e6).default(FIRING_KICK_PA),
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
 * A/A fault: one extra input event into one neuron (per treated replica) at
 * injection, strong enough by default to make it fire once, then nothing.
 * The replica's trajectory diverges from its
 * control's from that step on, as under any real fault, but its statistics
 * do not change: a judge that fails it raised a false alarm. It counts as
 * active for `durationMs` (the controller stops it), so the judge compares
 * the same span it would for a real fault of that duration. The event is a
 * one-step regular spike storm (the storm kernel of `spike-storm`).
 */
export class NullPerturbation extends FaultBase {
  private readonly storm: SpikeStorm;

  constructor(ctx: FaultContext, spec: NullPerturbationSpec, id: string, hooks: FaultHooks) {
    const dt = ctx.network.dtMs;
    // One event per target in the injection step: a regular train at one event per step, for one step.
    const storm = new SpikeStorm(ctx, { kind: 'spike-storm', target: nullPerturbationTarget(spec.target), rateHz: 1000 / dt, train: 'regular', amplitude: spec.amplitudePa, unit: 'pA', durationMs: dt, delayMs: 0 }, id, hooks);
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
  report: { summary: 'one input event into one neuron at injection, by default strong enough to make it fire once (an A/A control: the trajectory diverges, the statistics do not change; a failing probe is a false alarm)', recommendation: null },
  emptyScope(spec, plan, id) {
    if (spec.amplitudePa === 0) return { field: `${plan.root}.amplitudePa`, reason: 'an amplitude of 0 adds nothing to its target (give a non-zero amplitude)' };
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
      // Amplitude 0 acts on nothing; planning refuses it.
      amplitudePa: t.opt(t.numberFrom(s.amplitudePa).filter((a) => a !== 0)),
      durationMs: t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)),
    });
  },
});
