import type fc from 'fast-check';
import type { z } from 'zod';
import type { PartitionKernel } from '../../kernels/cpu/deliver_partitioned.js';
import type { Allocator } from '../memory/allocator.js';
import type { Network } from '../model/network.js';
import type { ActiveFault, FaultContext, FaultTargets } from './fault.js';
import type { FaultHooks } from './fault-hooks.js';
import type { WeightFaultLayer } from './weight-layer.js';

/**
 * What a backend must offer for a fault kind to act on it. The backend
 * registry declares which of these each backend has; a kind names the ones
 * it needs (kind-wide in `requires`, spec-dependent in `requiresFor`).
 *
 * - `storm-injection`: the step effects take storm kernels (input events into the rings or membranes).
 * - `neuron-fault-table`: the neuron kernels consult the fault table of the live state.
 * - `live-weights`: the weights the kernels read are the buffer `synapses().weightsPa` (writes take effect).
 * - `partitioned-delivery`: spike delivery honours partition kernels (cut or delayed source/target ranges).
 * - `shards`: the network is split into shards (worker pieces) a partition side can name.
 * - `shard-supervision`: shard workers can be crashed or stalled and are recovered by a supervisor.
 */
export type FaultCapability = 'storm-injection' | 'neuron-fault-table' | 'live-weights' | 'partitioned-delivery' | 'shards' | 'shard-supervision';

/** What a fault acts on: the part of the simulation (or of its host) that changes while it is active. */
export type FaultEffect = 'input' | 'neuron-state' | 'weights' | 'delivery' | 'worker-threads' | 'host-cpu' | 'host-memory' | 'allocator' | 'output-files';

/**
 * Who ends a fault at its `durationMs`: the controller at that simulated
 * step, the kernel's own time window (the fault stays registered until
 * stopped), a wall-clock timer (burner threads, a stalled worker: the
 * engine sees the end rather than scheduling it), or nobody (it has no
 * duration, or its duration means something else).
 */
export type DurationEnd = 'controller' | 'kernel' | 'wall-clock' | 'none';

/** What planning knows about the run a fault will be injected into (a dry run, or the engine before it simulates). */
export interface PlanContext {
  network: Network;
  /** Replicas of the batch. */
  batch: number;
  /** Worker threads of the backend (1 on single-threaded backends). */
  workers: number;
  /** Experiment seed: target choices come from the same streams injection uses. */
  seed: number;
  /** Prefix of the fields errors name. @defaultValue `fault` */
  root: string;
  /** The files the run writes; absent when unknown (a library caller), and then nothing is refused on their account. */
  outputs?: {
    /** The scenario's `defences.recording`: `off` means the run writes no output file. */
    recording: 'durable' | 'raw' | 'off';
    /** Folder of the spike recordings, when it is known before the run. */
    recordDir?: string;
  };
}

/** Why a fault would act on nothing: the field to change and the reason, for an InputError. */
export interface EmptyScope {
  field: string;
  reason: string;
}

/** What the controller lends a kind while injecting it: the shared tables, the allocator, child injection and the step scheduler. */
export interface InjectEnv {
  hooks: FaultHooks & { setPartitions(id: string, kernels: PartitionKernel[] | null): void };
  weights: WeightFaultLayer;
  /** The live weights' bits (the weight layer writes through them). */
  weightBits: Uint32Array;
  allocator: Allocator;
  injectChild(spec: Record<string, unknown>): Promise<ActiveFault>;
  schedule(step: number, action: () => Promise<void>): void;
  /** Lists a fault as active before it is complete (a cascade whose children must find it); `unregister` takes it back. */
  register(fault: ActiveFault): void;
  unregister(id: string): void;
}

export interface FaultArbitraryConstraints {
  /** Kinds to draw from. @defaultValue every kind the backend can host (worker kinds only with `workers` > 0) */
  kinds?: readonly string[];
  /** Worker threads of a workers backend; 0 leaves out worker crashes, stalls and shard partitions. @defaultValue 0 */
  workers?: number;
  /** Replicas in the batch. @defaultValue 1 */
  batch?: number;
  /** Cap on simulated durations and delays (ms), so a property stays short. @defaultValue 50 */
  maxSimMs?: number;
  /** Cap on wall-clock durations and latencies (ms): stalls, CPU stress, allocation and disk latency. @defaultValue 20 */
  maxWallMs?: number;
  /** Cap on the real host memory an allocator-pressure fault holds. @defaultValue 4 MiB */
  maxHostBytes?: number;
  /** Cap on CPU stress threads. @defaultValue 1 */
  maxThreads?: number;
  /** Cap on a cascade's depth. @defaultValue 3 */
  maxDepth?: number;
  /** Whether weight corruption may be permanent (it then survives stop). @defaultValue false */
  permanent?: boolean;
}

/**
 * Helpers the fuzz layer hands to a kind's arbitrary (so the chaos layer
 * does not import the fuzz layer): numbers from exactly the range a zod
 * schema accepts, blast radii, optional fields, records without undefined.
 */
export interface ArbitraryTools {
  /** A value `schema` accepts, capped at `cap` and floored at `floor`. */
  numberFrom(schema: z.ZodTypeAny, cap?: number, floor?: number): fc.Arbitrary<number>;
  /** A blast radius (`target`) that exists in `network`. */
  target(network: Network, batch: number): fc.Arbitrary<Record<string, unknown>>;
  /** The arbitrary's values, or undefined (the field left out). */
  opt<T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined>;
  /** `{ kind, ...fields }` with the undefined fields left out. */
  spec(kind: string, fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<Record<string, unknown>>;
  dropUndefined<T extends Record<string, unknown>>(o: T): T;
}

/** How a kind appears in `list`, docs and the resilience report (its advice comes from findings: src/engine/recommendations.ts). */
export interface FaultReportText {
  /** What the kind does, one line (for `list`, docs and reports). */
  summary: string;
}

/**
 * One fault kind, everything the rest of the tool needs to know about it.
 * Adding a kind is one file exporting a descriptor (see `defineFaultKind`)
 * and one line in `fault-kinds.ts`; every list of kinds is derived from there.
 */
export interface FaultKindDescriptor<K extends string = string, S extends z.AnyZodObject = z.AnyZodObject> {
  readonly kind: K;
  /** The spec's validator: a strict zod object whose `kind` is the literal `kind`. */
  readonly schema: S;
  /** It hits chosen replicas (`target.replicas`), so a batch can keep unfaulted controls. */
  readonly perReplica: boolean;
  readonly durationEndsBy: DurationEnd;
  readonly actsOn: readonly FaultEffect[];
  /** Capabilities every spec of this kind needs from the backend. */
  readonly requires: readonly FaultCapability[];
  /** It acts on synapses: a network without any cannot host it (planning says so by name). */
  readonly needsSynapses: boolean;
  /** Spec fields in simulated ms that the engine's `--time-scale` multiplies. */
  readonly timeScaled: readonly string[];
  readonly report: FaultReportText;
  /** Capabilities this spec needs beyond `requires` (e.g. shard sides of a partition). */
  requiresFor(spec: z.infer<S>): FaultCapability[];
  /** Scenario spellings turned into the spec's own fields (storms' `amplitudePa`); `field` prefixes errors. Identity for most kinds. */
  fromScenario(raw: Record<string, unknown>, field: string): Record<string, unknown>;
  /**
   * Why this spec would act on nothing in the planned run (null: it acts).
   * Planning refuses such a fault with an InputError; injection does not
   * (a sweep may use a null fault as its control point), and then the
   * fault's `verify()` says `noEffect`.
   */
  emptyScope(spec: z.infer<S>, plan: PlanContext, id: string): EmptyScope | null;
  /** The targets injection will hit, resolved from the same streams without touching a simulation; a string says what is only known at injection and why. */
  planTargets(spec: z.infer<S>, id: string, plan: PlanContext): FaultTargets | string;
  /** Puts the fault into effect. Errors are InputErrors naming the field. */
  inject(ctx: FaultContext, spec: z.infer<S>, id: string, env: InjectEnv): ActiveFault | Promise<ActiveFault>;
  /** Why specs of this kind cannot be drawn for this network and these constraints (null: they can). */
  fuzzable(network: Network, c: FaultArbitraryConstraints): string | null;
  /** Valid specs that can be injected into `network` (see `faultSpecArbitrary`). */
  arbitrary(network: Network, c: FaultArbitraryConstraints, tools: ArbitraryTools): fc.Arbitrary<Record<string, unknown>>;
}

/** A descriptor of any kind, as the registry hands it out. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyFaultKind = FaultKindDescriptor<string, any>;

/** Fields most kinds share, so a descriptor states only what is its own. */
type DefaultedField = 'requires' | 'needsSynapses' | 'timeScaled' | 'requiresFor' | 'fromScenario';

/**
 * A descriptor with the types checked (the kind must be the schema's `kind`
 * literal) and the common defaults filled in: no capability needed, no
 * synapses needed, `durationMs` scaled by --time-scale, no spec-dependent
 * capability, the scenario's spelling is the spec's.
 */
export function defineFaultKind<K extends string, S extends z.ZodObject<{ kind: z.ZodLiteral<K> } & z.ZodRawShape>>(
  d: Omit<FaultKindDescriptor<K, S>, DefaultedField> & Partial<Pick<FaultKindDescriptor<K, S>, DefaultedField>>,
): FaultKindDescriptor<K, S> {
  return { requires: [], needsSynapses: false, timeScaled: ['durationMs'], requiresFor: () => [], fromScenario: (raw) => raw, ...d };
}

/** The one-line refusal of an empty scope, as planning throws it. */
export function emptyScopeMessage(kind: string, e: EmptyScope): string {
  return `${kind} would act on nothing: ${e.reason}`;
}
