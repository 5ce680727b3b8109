import fc from 'fast-check';
import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';
import { driftLeavesParameters, NeuronFault, neuronFaultSchema } from '../neuron-fault.js';
import { resolveTargets } from '../targets.js';

/** Neuron faults (dead, saturated, stuck membrane, parametric drift) through the fault table of the live state. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const neuronFaultKind: FaultKindDescriptor<'neuron-fault', typeof neuronFaultSchema> = defineFaultKind({
  kind: 'neuron-fault',
  schema: neuronFaultSchema,
  perReplica: true,
  // The fault table knows no time window: the controller stops it at its step.
  durationEndsBy: 'controller',
  actsOn: ['neuron-state'],
  requires: ['neuron-fault-table'],
  report: { summary: 'chosen neurons dead, saturated, with the membrane stuck at a value, or with a drifted threshold, membrane time constant or refractory period' },
  emptyScope(spec, plan, id) {
    const t = resolveTargets(plan.network, plan.batch, spec.target, `${plan.seed}:fault:${id}:targets`, `${plan.root}.target`);
    if (t.neurons.length === 0 || t.replicas.length === 0) return { field: `${plan.root}.target`, reason: 'its target selects no (replica, neuron)' };
    if (driftLeavesParameters(plan.network, spec, t.neurons)) {
      return { field: `${plan.root}.factor`, reason: `a drift of ${spec.parameter} by ${spec.factor} leaves the parameters of every target as they were (on the ${plan.network.dtMs} ms grid)` };
    }
    return null;
  },
  planTargets(spec, id, plan) {
    const t = resolveTargets(plan.network, plan.batch, spec.target, `${plan.seed}:fault:${id}:targets`, `${plan.root}.target`);
    return { neurons: [...t.neurons], replicas: t.replicas };
  },
  inject: (ctx, spec, id, env) => new NeuronFault(ctx, spec, id, env.hooks),
  fuzzable: () => null,
  arbitrary(network, c, t) {
    const s = neuronFaultSchema.shape;
    return fc
      .tuple(t.opt(t.target(network, c.batch ?? 1)), fc.constantFrom('dead', 'saturated', 'stuck', 'drift'), t.numberFrom(s.valueMv), fc.constantFrom('threshold', 'tauMembrane', 'refractory'), t.numberFrom(s.factor), t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)))
      .map(([target, mode, valueMv, parameter, factor, durationMs]) =>
        t.dropUndefined({ kind: 'neuron-fault', target, mode, valueMv: mode === 'stuck' ? valueMv : undefined, parameter: mode === 'drift' ? parameter : undefined, factor: mode === 'drift' ? factor : undefined, durationMs }),
      );
  },
});
