import fc from 'fast-check';
import { PARTITION_DELAY_HEADROOM_MS } from '../../backends/simulation-state.js';
import type { Network } from '../../model/network.js';
import { InputError } from '../../util/errors.js';
import { defineFaultKind, type FaultKindDescriptor, type FaultCapability } from '../kind-descriptor.js';
import { Partition, partitionSchema, type PartitionSpec } from '../partition.js';
import { crossingSynapses, populationRanges } from '../synapse-selection.js';

type Side = PartitionSpec['from'];

/** A side's neuron ranges when both sides are known from the network alone (populations, or the rest of the other side's populations); null when a side names shards. */
function populationSides(network: Network, spec: PartitionSpec, root: string): { from: number[]; to: number[] } | null {
  const names = network.populations.map((p) => p.name);
  const side = (s: Side, other: Side, field: string, otherField: string): number[] | null => {
    if (s.populations) return populationRanges(network, s.populations, `${field}.populations`);
    if (s.rest && other.populations) {
      const rest = names.filter((n) => !other.populations!.includes(n));
      if (rest.length === 0) throw new InputError(otherField, 'leaves no population for the rest');
      return populationRanges(network, rest, field);
    }
    return null;
  };
  if (spec.from.rest && spec.to.rest) throw new InputError(`${root}.to.rest`, 'only one side can be the rest');
  const from = side(spec.from, spec.to, `${root}.from`, `${root}.to`);
  const to = side(spec.to, spec.from, `${root}.to`, `${root}.from`);
  return from && to ? { from, to } : null;
}

function crossing(network: Network, spec: PartitionSpec, sides: { from: number[]; to: number[] }): number {
  return crossingSynapses(network, sides.from, sides.to) + (spec.direction === 'both' ? crossingSynapses(network, sides.to, sides.from) : 0);
}

const sideName = (s: Side) => (s.populations ? `[${s.populations.join(', ')}]` : s.shards ? `shards [${s.shards.join(', ')}]` : 'the rest');

/** Partition: spikes crossing between chosen populations or shards dropped or delayed in delivery. */
// Annotated: the descriptor's type must not be inferred through the fault classes, which name the registry's kinds.
export const partitionKind: FaultKindDescriptor<'partition', typeof partitionSchema> = defineFaultKind({
  kind: 'partition',
  schema: partitionSchema,
  perReplica: false,
  // The partition kernels carry their own [start, end) window.
  durationEndsBy: 'kernel',
  actsOn: ['delivery'],
  requires: ['partitioned-delivery'],
  needsSynapses: true,
  report: { summary: 'spikes crossing between chosen populations or worker shards dropped or delayed, one way or both, like a network partition between cluster nodes' },
  requiresFor: (spec): FaultCapability[] => (spec.from.shards || spec.to.shards ? ['shards'] : []),
  emptyScope(spec, plan) {
    if (plan.network.synapseCount === 0) return { field: `${plan.root}.kind`, reason: 'it needs synapses crossing it, and the network has none (a model without projections)' };
    const sides = populationSides(plan.network, spec, plan.root);
    // Shard sides are laid out by the workers backend: known at injection, where verify says when nothing crossed.
    if (!sides || crossing(plan.network, spec, sides) > 0) return null;
    return { field: `${plan.root}.from`, reason: `it needs synapses crossing it, and none run from ${sideName(spec.from)} to ${sideName(spec.to)}${spec.direction === 'both' ? ' or back' : ''}` };
  },
  planTargets(spec, _id, plan) {
    const sides = populationSides(plan.network, spec, plan.root);
    if (!sides) return 'resolved at injection (shard sides come from the workers backend\'s shard layout)';
    return { synapses: crossing(plan.network, spec, sides) };
  },
  inject: (ctx, spec, id, env) => new Partition(ctx, spec, id, env.hooks),
  fuzzable: (network) => (network.synapseCount === 0 ? 'the network has no synapses to cut' : null),
  arbitrary(network, c, t) {
    const s = partitionSchema.shape;
    const names = network.populations.map((p) => p.name);
    const workers = c.workers ?? 0;
    const popSide = fc.subarray(names, { minLength: 1 }).map((populations) => ({ populations }));
    const side = workers > 0 ? fc.oneof(popSide, fc.subarray(Array.from({ length: workers }, (_, k) => k), { minLength: 1 }).map((shards) => ({ shards }))) : popSide;
    const pair = fc
      .tuple(side, side, fc.constantFrom('none', 'from', 'to'))
      .filter(([a, b, rest]) => restLeavesSomething(a, b, rest, names.length, workers))
      .map(([a, b, rest]) => (rest === 'from' ? { from: { rest: true }, to: b } : rest === 'to' ? { from: a, to: { rest: true } } : { from: a, to: b }));
    return fc
      .tuple(pair, fc.constantFrom('one-way', 'both'), fc.constantFrom('drop', 'delay'), t.numberFrom(s.extraDelayMs, PARTITION_DELAY_HEADROOM_MS), t.opt(t.numberFrom(s.durationMs, c.maxSimMs ?? 50)))
      .map(([sides, direction, mode, extraDelayMs, durationMs]) => t.dropUndefined({ kind: 'partition', ...sides, direction, mode, extraDelayMs: mode === 'delay' ? extraDelayMs : undefined, durationMs }));
  },
});

/** A partition side of `rest: true` must leave something: the other side may not cover every population or shard. */
function restLeavesSomething(a: { populations?: string[]; shards?: number[] }, b: { populations?: string[]; shards?: number[] }, rest: string, pops: number, workers: number): boolean {
  if (rest === 'none') return true;
  const other = rest === 'from' ? b : a;
  if (other.populations) return other.populations.length < pops;
  return (other.shards?.length ?? 0) < workers;
}
