import { InputError } from '../util/errors.js';
import { emptyScopeMessage, type AnyFaultKind, type DurationEnd, type EmptyScope, type FaultCapability, type FaultEffect, type PlanContext } from './kind-descriptor.js';
import { allocatorPressureKind } from './kinds/allocator-pressure.js';
import { cascadingFailureKind } from './kinds/cascading-failure.js';
import { cpuStressKind } from './kinds/cpu-stress.js';
import { diskFaultKind } from './kinds/disk-fault.js';
import { neuronFaultKind } from './kinds/neuron-fault.js';
import { nullPerturbationKind } from './kinds/null-perturbation.js';
import { partitionKind } from './kinds/partition.js';
import { spikeStormKind } from './kinds/spike-storm.js';
import { weightCorruptionKind } from './kinds/weight-corruption.js';
import { workerCrashKind } from './kinds/worker-crash.js';
import { workerStallKind } from './kinds/worker-stall.js';

/**
 * Every fault kind, one descriptor each (src/chaos/kinds/), in the order
 * `list`, the JSON Schema and error messages show them. Adding a kind: one
 * file in src/chaos/kinds/ and one line here; every list of kinds below and
 * elsewhere is derived from this one.
 */
export const FAULT_KIND_REGISTRY = [
  spikeStormKind,
  weightCorruptionKind,
  neuronFaultKind,
  allocatorPressureKind,
  workerCrashKind,
  workerStallKind,
  partitionKind,
  cpuStressKind,
  diskFaultKind,
  cascadingFailureKind,
  nullPerturbationKind,
] as const;

export type FaultKindName = (typeof FAULT_KIND_REGISTRY)[number]['kind'];

/** The kinds' names, in registry order. */
export const FAULT_KINDS: readonly FaultKindName[] = FAULT_KIND_REGISTRY.map((d) => d.kind);

const BY_NAME = new Map<string, AnyFaultKind>(FAULT_KIND_REGISTRY.map((d) => [d.kind, d as AnyFaultKind]));

/** The descriptor of a kind; undefined for a name that is none. */
export function faultKind(name: string): AnyFaultKind | undefined {
  return BY_NAME.get(name);
}

/** The descriptor of a kind the caller knows exists (a validated spec's); a RangeError otherwise. */
export function faultKindOf(name: string): AnyFaultKind {
  const d = BY_NAME.get(name);
  if (!d) throw new RangeError(`no fault kind "${name}" (known: ${FAULT_KINDS.join(', ')})`);
  return d;
}

const kindsWhere = (test: (d: AnyFaultKind) => boolean): ReadonlySet<FaultKindName> => new Set(FAULT_KIND_REGISTRY.filter((d) => test(d as AnyFaultKind)).map((d) => d.kind));

/** Kinds that hit chosen replicas (so a batch can keep unfaulted controls); the others act on shared connectivity, threads or files. */
export const PER_REPLICA_KINDS = kindsWhere((d) => d.perReplica);

/** Kinds whose `durationMs` the controller enforces (the others end in their kernels, on the wall clock, or have no duration). */
export const SCHEDULED_STOP_KINDS = kindsWhere((d) => d.durationEndsBy === 'controller');

/** Kinds whose fault ends by `end` at its durationMs. */
export function kindsEndingBy(end: DurationEnd): ReadonlySet<FaultKindName> {
  return kindsWhere((d) => d.durationEndsBy === end);
}

/** Kinds that may act on any of `effects`. */
export function kindsActingOn(...effects: FaultEffect[]): ReadonlySet<FaultKindName> {
  return kindsWhere((d) => d.actsOn.some((e) => effects.includes(e)));
}

/** Kinds every spec of which needs `capability` from the backend. */
export function kindsRequiring(capability: FaultCapability): ReadonlySet<FaultKindName> {
  return kindsWhere((d) => d.requires.includes(capability));
}

/**
 * What a spec needs from the backend: its kind's capabilities and the
 * spec's own (a partition naming shards, a cascade by its initial
 * failure). Takes a spec as written (it is validated first); an invalid
 * one needs nothing it can name.
 */
export function capabilitiesOf(spec: { kind: string; [field: string]: unknown }): FaultCapability[] {
  const d = faultKind(spec.kind);
  if (!d) return [];
  const parsed = d.schema.safeParse(spec);
  return [...new Set([...d.requires, ...(parsed.success ? d.requiresFor(parsed.data) : [])])];
}

/** Why a validated spec would act on nothing in the planned run (null: it acts): the kind's need for synapses, then its own scope. */
export function emptyScopeOf(spec: { kind: string }, plan: PlanContext, id: string): EmptyScope | null {
  const d = faultKindOf(spec.kind);
  if (d.needsSynapses && plan.network.synapseCount === 0) return { field: `${plan.root}.kind`, reason: `it needs synapses, and the network has none (a model without projections)` };
  return d.emptyScope(spec, plan, id);
}

/** Throws the InputError of an empty scope (see emptyScopeOf). */
export function refuseEmptyScope(spec: { kind: string }, plan: PlanContext, id: string): void {
  const empty = emptyScopeOf(spec, plan, id);
  if (empty) throw new InputError(empty.field, emptyScopeMessage(spec.kind, empty));
}

/**
 * The kinds a backend hosts, from what its kernels let faults act on (its
 * capability sheet's `hosts`): every kind whose kind-wide `requires` it has,
 * in registry order. A new kind is hosted wherever its requirements are met.
 */
export function kindsHostedBy(hosts: readonly FaultCapability[]): readonly string[] {
  return FAULT_KIND_REGISTRY.filter((d) => (d as AnyFaultKind).requires.every((c) => hosts.includes(c))).map((d) => d.kind);
}
