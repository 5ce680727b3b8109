import fc from 'fast-check';
import { defineFaultKind, type FaultKindDescriptor } from '../kind-descriptor.js';
import { emptySynapseScope, selectSynapses } from '../synapse-selection.js';
import { WEIGHT_CORRUPTION_MODES, WeightCorruption, weightCorruptionSchema } from '../weight-corruption.js';

/** Weight corruption: a fraction of the synapses in a scope changed in their float32 bits; shared by every replica. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const weightCorruptionKind: FaultKindDescriptor<'weight-corruption', typeof weightCorruptionSchema> = defineFaultKind({
  kind: 'weight-corruption',
  schema: weightCorruptionSchema,
  perReplica: false,
  durationEndsBy: 'controller',
  actsOn: ['weights'],
  requires: ['live-weights'],
  needsSynapses: true,
  report: { summary: 'a fraction of the synapses in a scope corrupted in their float32 weights (bit flips, stuck values, scaling, noise, NaN, Inf, permutation), reversibly or for good' },
  emptyScope(spec, plan) {
    const empty = emptySynapseScope(plan.network, spec.source, spec.target, plan.root);
    if (empty) return empty;
    // Modes whose parameters change no bit.
    if (spec.mode === 'scale' && spec.factor === 1) return { field: `${plan.root}.factor`, reason: 'scaling by 1 leaves every weight as it is' };
    if ((spec.mode === 'multiplicative-noise' || spec.mode === 'gaussian-noise') && spec.sigma === 0) return { field: `${plan.root}.sigma`, reason: `${spec.mode} of sd 0 leaves every weight as it is` };
    return null;
  },
  planTargets(spec, id, plan) {
    const { indices } = selectSynapses(plan.network, spec.source, spec.target, spec.fraction, `${plan.seed}:fault:${id}:synapses`, plan.root);
    return { synapses: indices.length, synapseSample: [...indices.subarray(0, 16)] };
  },
  inject: (ctx, spec, id, env) => new WeightCorruption(ctx, spec, id, env.weights, env.weightBits),
  fuzzable: (network) => (network.synapseCount === 0 ? 'the network has no synapses to corrupt' : null),
  arbitrary(network, c, t) {
    const s = weightCorruptionSchema.shape;
    const scopes = network.projections.filter((p) => p.synapses > 0);
    const scope = fc.oneof(
      fc.constant({}),
      fc.constantFrom(...scopes).map((p) => ({ source: p.source, target: p.target })),
      fc.constantFrom(...new Set(scopes.map((p) => p.source))).map((source) => ({ source })),
      fc.constantFrom(...new Set(scopes.map((p) => p.target))).map((target) => ({ target })),
    );
    const mode = fc.constantFrom(...WEIGHT_CORRUPTION_MODES);
    return fc
      .tuple(scope, mode, t.numberFrom(s.fraction), t.opt(t.numberFrom(s.bit)), t.numberFrom(s.value), t.numberFrom(s.factor), t.numberFrom(s.sigma), c.permanent ? fc.boolean() : fc.constant(false), t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)))
      .map(([sc, m, fraction, bit, value, factor, sigma, permanent, durationMs]) =>
        t.dropUndefined({ kind: 'weight-corruption', ...sc, mode: m, fraction, bit: m === 'bit-flip' ? bit : undefined, value: m === 'stuck-at-value' ? value : undefined, factor: m === 'scale' ? factor : undefined, sigma: m.endsWith('noise') ? sigma : undefined, permanent, durationMs }),
      );
  },
});
