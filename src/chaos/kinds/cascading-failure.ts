import fc from 'fast-check';
import { PARTITION_DELAY_HEADROOM_MS } from '../../backends/simulation-state.js';
import { InputError } from '../../util/errors.js';
import { CascadingFailure, cascadingFailureSchema, partitionChildCuts, populationChain } from '../cascading-failure.js';
import { defineFaultKind, type FaultKindDescriptor, type FaultCapability } from '../kind-descriptor.js';

const CAPABILITY_OF_INITIAL: Record<'worker-crash' | 'partition' | 'weight-corruption', FaultCapability> = {
  'worker-crash': 'shard-supervision',
  partition: 'partitioned-delivery',
  'weight-corruption': 'live-weights',
};

/** Cascading failure: an initial failure spreading downstream, depth by depth, after a propagation delay. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const cascadingFailureKind: FaultKindDescriptor<'cascading-failure', typeof cascadingFailureSchema> = defineFaultKind({
  kind: 'cascading-failure',
  schema: cascadingFailureSchema,
  perReplica: false,
  // No duration: it lasts until stopped, spreading at its propagation delay.
  durationEndsBy: 'none',
  // Whichever its initial failure acts on.
  actsOn: ['worker-threads', 'delivery', 'weights'],
  timeScaled: ['propagationDelayMs'],
  report: { summary: 'an initial failure (a worker crash, a partition cutting a population off, a corruption of its outgoing weights) spreading to the next target downstream after a propagation delay' },
  requiresFor: (spec) => [CAPABILITY_OF_INITIAL[spec.initial.kind]],
  emptyScope(spec, plan) {
    const init = spec.initial;
    if (init.kind === 'worker-crash') return null;
    const field = `${plan.root}.initial.population`;
    if (!plan.network.populations.some((p) => p.name === init.population)) throw new InputError(field, `unknown population "${init.population}" (known: ${plan.network.populations.map((p) => p.name).join(', ')})`);
    if (plan.network.synapseCount === 0) return { field: `${plan.root}.initial.kind`, reason: `a ${init.kind} cascade needs synapses, and the network has none (a model without projections)` };
    if (init.kind === 'weight-corruption' && !plan.network.projections.some((p) => p.source === init.population && p.synapses > 0)) return { field, reason: `it needs synapses, and "${init.population}" has no outgoing synapses to corrupt` };
    if (init.kind === 'partition' && partitionChildCuts(plan.network, init.population) === 0) return { field, reason: `it needs synapses, and none run between "${init.population}" and the other populations` };
    return null;
  },
  planTargets(spec, _id, plan) {
    const init = spec.initial;
    if (init.kind === 'worker-crash') {
      if (init.worker >= plan.workers) throw new InputError(`${plan.root}.initial.worker`, `must be a worker in [0, ${plan.workers - 1}] (got ${init.worker}; the run has ${plan.workers} worker thread(s))`);
      const chain = Array.from({ length: Math.min(spec.maxDepth, plan.workers - 1) + 1 }, (_, k) => (init.worker + k) % plan.workers);
      return `workers ${chain.join(' -> ')}, one depth every ${spec.propagationDelayMs} ms`;
    }
    return `${populationChain(plan.network, init, spec.maxDepth, plan.root).join(' -> ')}, one depth every ${spec.propagationDelayMs} ms`;
  },
  async inject(ctx, spec, id, env) {
    const cascade = new CascadingFailure(ctx, spec, id, { injectChild: env.injectChild, schedule: env.schedule });
    // Listed before its first failure, so the children it injects find it.
    env.register(cascade);
    try {
      await cascade.start();
    } catch (e) {
      // A cascade whose first failure cannot be injected leaves nothing behind: no entry, no pending spread.
      await cascade.stop();
      env.unregister(id);
      throw e;
    }
    return cascade;
  },
  fuzzable: (network, c) => (network.synapseCount === 0 && (c.workers ?? 0) === 0 ? 'the network has no synapses to cut or corrupt, and there are no workers to crash' : null),
  arbitrary(network, c, t) {
    const s = cascadingFailureSchema.shape;
    const workers = c.workers ?? 0;
    const names = network.populations.map((p) => p.name);
    const sources = [...new Set(network.projections.filter((p) => p.synapses > 0).map((p) => p.source))];
    // Partitions start where some synapse crosses (elsewhere they would cut nothing).
    const cut = names.filter((n) => partitionChildCuts(network, n) > 0);
    const initials: fc.Arbitrary<Record<string, unknown>>[] = [];
    if (cut.length > 0) {
      initials.push(fc.tuple(fc.constantFrom(...cut), fc.constantFrom('drop', 'delay'), t.numberFrom(s.propagationDelayMs, PARTITION_DELAY_HEADROOM_MS)).map(([population, mode, d]) => t.dropUndefined({ kind: 'partition', population, mode, extraDelayMs: mode === 'delay' ? d : undefined })));
    }
    if (sources.length > 0) {
      initials.push(fc.tuple(fc.constantFrom(...sources), fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constantFrom('bit-flip', 'exponent-flip', 'sign-flip', 'stuck-at-zero', 'nan', 'inf')).map(([population, fraction, mode]) => ({ kind: 'weight-corruption', population, fraction, mode })));
    }
    if (workers > 0) initials.push(fc.record({ kind: fc.constant('worker-crash'), worker: fc.integer({ min: 0, max: workers - 1 }), mode: fc.constantFrom('terminate', 'exit', 'throw') }));
    return t.spec('cascading-failure', { initial: fc.oneof(...initials), propagationDelayMs: t.numberFrom(s.propagationDelayMs, c.maxSimMs ?? 50), maxDepth: t.opt(t.numberFrom(s.maxDepth, c.maxDepth ?? 3)) });
  },
});
