import fc from 'fast-check';
import { allocatorPressureSchema } from '../chaos/allocator-pressure.js';
import { cascadingFailureSchema } from '../chaos/cascading-failure.js';
import { cpuStressSchema } from '../chaos/cpu-stress.js';
import { diskFaultSchema } from '../chaos/disk-fault.js';
import { FAULT_KINDS, type FaultKindName } from '../chaos/fault.js';
import { neuronFaultSchema } from '../chaos/neuron-fault.js';
import { partitionSchema } from '../chaos/partition.js';
import { spikeStormSchema } from '../chaos/spike-storm.js';
import { WEIGHT_CORRUPTION_MODES, weightCorruptionSchema } from '../chaos/weight-corruption.js';
import { workerCrashSchema, workerStallSchema } from '../chaos/worker-faults.js';
import { PARTITION_DELAY_HEADROOM_MS } from '../backends/simulation-state.js';
import type { Network } from '../model/network.js';
import { numberFrom } from './schema-range.js';
import { targetArbitrary } from './target-arbitrary.js';

/** A fault spec as `ChaosController.inject` takes it. */
export type FaultSpecInput = Record<string, unknown> & { kind: FaultKindName };

export interface FaultArbitraryConstraints {
  /** Kinds to draw from. @defaultValue every kind the backend can host (worker kinds only with `workers` > 0) */
  kinds?: readonly FaultKindName[];
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

const WORKER_KINDS = new Set<FaultKindName>(['worker-crash', 'worker-stall']);

/** Kinds an arbitrary draws from under these constraints. */
export function fuzzableKinds(c: FaultArbitraryConstraints = {}): FaultKindName[] {
  const workers = c.workers ?? 0;
  return (c.kinds ?? FAULT_KINDS).filter((k) => workers > 0 || !WORKER_KINDS.has(k));
}

/**
 * Valid fault specs for `network`: every field drawn from the range its
 * validator accepts (read from the zod schemas), capped where a test must
 * stay short, and chosen so the fault can be injected into this network
 * (populations that exist, synapses in scope, workers that exist).
 */
export function faultSpecArbitrary(network: Network, constraints: FaultArbitraryConstraints = {}): fc.Arbitrary<FaultSpecInput> {
  const kinds = fuzzableKinds(constraints);
  if (kinds.length === 0) throw new RangeError('faultSpecArbitrary: no fault kind left to draw from');
  return fc.oneof(...kinds.map((k) => faultOfKind(network, k, constraints)));
}

/** Valid specs of one kind (see faultSpecArbitrary). */
export function faultOfKind(network: Network, kind: FaultKindName, c: FaultArbitraryConstraints = {}): fc.Arbitrary<FaultSpecInput> {
  const sim = c.maxSimMs ?? 50;
  const wall = c.maxWallMs ?? 20;
  const workers = c.workers ?? 0;
  const batch = c.batch ?? 1;
  const names = network.populations.map((p) => p.name);
  const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
  const spec = (kindName: FaultKindName, fields: Record<string, fc.Arbitrary<unknown>>) =>
    fc.record(fields).map((r) => ({ kind: kindName, ...dropUndefined(r) }) as FaultSpecInput);
  switch (kind) {
    case 'spike-storm': {
      const s = spikeStormSchema.shape;
      return spec('spike-storm', {
        target: opt(targetArbitrary(network, batch)),
        rateHz: numberFrom(s.rateHz, 1000 / network.dtMs),
        train: opt(fc.constantFrom('regular', 'poisson')),
        amplitude: numberFrom(s.amplitude),
        unit: opt(fc.constantFrom('pA', 'mV')),
        durationMs: opt(numberFrom(s.durationMs, sim)),
        delayMs: opt(numberFrom(s.delayMs, sim)),
      });
    }
    case 'weight-corruption': {
      const s = weightCorruptionSchema.shape;
      const scopes = network.projections.filter((p) => p.synapses > 0);
      if (scopes.length === 0) return fc.constant({ kind: 'spike-storm', rateHz: 1, amplitude: 0 } as FaultSpecInput);
      const scope = fc.oneof(
        fc.constant({}),
        fc.constantFrom(...scopes).map((p) => ({ source: p.source, target: p.target })),
        fc.constantFrom(...new Set(scopes.map((p) => p.source))).map((source) => ({ source })),
        fc.constantFrom(...new Set(scopes.map((p) => p.target))).map((target) => ({ target })),
      );
      const mode = fc.constantFrom(...WEIGHT_CORRUPTION_MODES);
      return fc
        .tuple(scope, mode, numberFrom(s.fraction), opt(numberFrom(s.bit)), numberFrom(s.value), numberFrom(s.factor), numberFrom(s.sigma), c.permanent ? fc.boolean() : fc.constant(false), opt(numberFrom(s.durationMs, sim)))
        .map(([sc, m, fraction, bit, value, factor, sigma, permanent, durationMs]) =>
          dropUndefined({ kind: 'weight-corruption', ...sc, mode: m, fraction, bit: m === 'bit-flip' ? bit : undefined, value: m === 'stuck-at-value' ? value : undefined, factor: m === 'scale' ? factor : undefined, sigma: m.endsWith('noise') ? sigma : undefined, permanent, durationMs }) as FaultSpecInput,
        );
    }
    case 'neuron-fault': {
      const s = neuronFaultSchema.shape;
      return fc
        .tuple(opt(targetArbitrary(network, batch)), fc.constantFrom('dead', 'saturated', 'stuck', 'drift'), numberFrom(s.valueMv), fc.constantFrom('threshold', 'tauMembrane', 'refractory'), numberFrom(s.factor), opt(numberFrom(s.durationMs, sim)))
        .map(([target, mode, valueMv, parameter, factor, durationMs]) =>
          dropUndefined({ kind: 'neuron-fault', target, mode, valueMv: mode === 'stuck' ? valueMv : undefined, parameter: mode === 'drift' ? parameter : undefined, factor: mode === 'drift' ? factor : undefined, durationMs }) as FaultSpecInput,
        );
    }
    case 'allocator-pressure': {
      const s = allocatorPressureSchema.shape;
      const squeeze = spec('allocator-pressure', {
        freeFraction: opt(numberFrom(s.freeFraction)),
        failureRate: opt(numberFrom(s.failureRate)),
        latencyMs: opt(numberFrom(s.latencyMs, wall)),
        hostBytes: opt(numberFrom(s.hostBytes, c.maxHostBytes ?? 4 * 2 ** 20, 1)),
        durationMs: opt(numberFrom(s.durationMs, sim)),
      });
      // At least one part must do something (the fault refuses an empty spec).
      return squeeze.map((x) => (x.freeFraction === undefined && !x.failureRate && !x.latencyMs && !x.hostBytes ? { ...x, freeFraction: 0.5 } : x));
    }
    case 'worker-crash': {
      const s = workerCrashSchema.shape;
      return spec('worker-crash', { worker: opt(fc.integer({ min: 0, max: Math.max(0, workers - 1) })), mode: opt(fc.constantFrom('terminate', 'exit', 'throw')), afterMs: opt(numberFrom(s.afterMs, sim)) });
    }
    case 'worker-stall': {
      const s = workerStallSchema.shape;
      return spec('worker-stall', { worker: fc.integer({ min: 0, max: Math.max(0, workers - 1) }), durationMs: numberFrom(s.durationMs, wall), afterMs: numberFrom(s.afterMs, sim) });
    }
    case 'partition': {
      const s = partitionSchema.shape;
      const popSide = fc.subarray(names, { minLength: 1 }).map((populations) => ({ populations }));
      const side = workers > 0 ? fc.oneof(popSide, fc.subarray(Array.from({ length: workers }, (_, k) => k), { minLength: 1 }).map((shards) => ({ shards }))) : popSide;
      const pair = fc.tuple(side, side, fc.constantFrom('none', 'from', 'to')).filter(([a, b, rest]) => restLeavesSomething(a, b, rest, names.length, workers)).map(([a, b, rest]) => (rest === 'from' ? { from: { rest: true }, to: b } : rest === 'to' ? { from: a, to: { rest: true } } : { from: a, to: b }));
      return fc
        .tuple(pair, fc.constantFrom('one-way', 'both'), fc.constantFrom('drop', 'delay'), numberFrom(s.extraDelayMs, PARTITION_DELAY_HEADROOM_MS), opt(numberFrom(s.durationMs, sim)))
        .map(([sides, direction, mode, extraDelayMs, durationMs]) => dropUndefined({ kind: 'partition', ...sides, direction, mode, extraDelayMs: mode === 'delay' ? extraDelayMs : undefined, durationMs }) as FaultSpecInput);
    }
    case 'cpu-stress': {
      const s = cpuStressSchema.shape;
      return spec('cpu-stress', { threads: opt(numberFrom(s.threads, c.maxThreads ?? 1)), load: opt(numberFrom(s.load)), durationMs: numberFrom(s.durationMs, wall) });
    }
    case 'disk-fault': {
      const s = diskFaultSchema.shape;
      return spec('disk-fault', { latencyMs: numberFrom(s.latencyMs, wall), errorRate: numberFrom(s.errorRate), full: fc.boolean(), durationMs: opt(numberFrom(s.durationMs, sim)) }).map((x) => (!x.latencyMs && !x.errorRate && !x.full ? { ...x, full: true } : x));
    }
    case 'cascading-failure': {
      const s = cascadingFailureSchema.shape;
      const sources = [...new Set(network.projections.filter((p) => p.synapses > 0).map((p) => p.source))];
      const initials: fc.Arbitrary<Record<string, unknown>>[] = [
        fc.tuple(fc.constantFrom(...names), fc.constantFrom('drop', 'delay'), numberFrom(s.propagationDelayMs, PARTITION_DELAY_HEADROOM_MS)).map(([population, mode, d]) => dropUndefined({ kind: 'partition', population, mode, extraDelayMs: mode === 'delay' ? d : undefined })),
      ];
      if (sources.length > 0) {
        initials.push(fc.tuple(fc.constantFrom(...sources), fc.double({ min: 1e-6, max: 1, noNaN: true }), fc.constantFrom('bit-flip', 'exponent-flip', 'sign-flip', 'stuck-at-zero', 'nan', 'inf')).map(([population, fraction, mode]) => ({ kind: 'weight-corruption', population, fraction, mode })));
      }
      if (workers > 0) initials.push(fc.record({ kind: fc.constant('worker-crash'), worker: fc.integer({ min: 0, max: workers - 1 }), mode: fc.constantFrom('terminate', 'exit', 'throw') }));
      return spec('cascading-failure', { initial: fc.oneof(...initials), propagationDelayMs: numberFrom(s.propagationDelayMs, sim), maxDepth: opt(numberFrom(s.maxDepth, c.maxDepth ?? 3)) });
    }
  }
}

/** A partition side of `rest: true` must leave something: the other side may not cover every population or shard. */
function restLeavesSomething(a: { populations?: string[]; shards?: number[] }, b: { populations?: string[]; shards?: number[] }, rest: string, pops: number, workers: number): boolean {
  if (rest === 'none') return true;
  const other = rest === 'from' ? b : a;
  if (other.populations) return other.populations.length < pops;
  return (other.shards?.length ?? 0) < workers;
}

function dropUndefined<T extends Record<string, unknown>>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as T;
}
