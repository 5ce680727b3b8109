import type { SimulationBackend } from './backend.js';
import { unsupported } from '../util/errors.js';

/**
 * Optional capabilities a backend may offer beyond SimulationBackend, asked
 * for by name (the model: tfjs's `backend.capability`-style feature queries,
 * WebGPU's adapter features). The chaos layer asks for a capability instead
 * of testing for a concrete backend class, so a new backend that offers one
 * gets the faults that need it without any change outside its folder.
 */

/** A neuron range [lo, hi) of one population. */
export interface ShardRange {
  readonly lo: number;
  readonly hi: number;
}

/** The neurons split into shards, each run by its own thread (partitions by shard cut between them). */
export interface ShardLayout {
  /** Shards, one per worker thread. */
  readonly workers: number;
  /** shards[k].ranges[p]: the piece of population p shard k owns (possibly empty). */
  readonly shards: readonly { readonly ranges: readonly ShardRange[] }[];
}

/** How an injected shard failure shows: its task throws, its thread exits, or it blocks (and may be terminated meanwhile). */
export type ShardFailureMode = 'throw' | 'exit' | 'stall';

/** What the supervisor reports while it recovers: a worker lost, every shard restored, lost steps recomputed. */
export interface ShardSupervisionEvents {
  'worker-lost': [{ shard: number; step: number; error: string }];
  restored: [{ toStep: number; fromStep: number }];
  replayed: [{ fromStep: number; toStep: number; steps: number; wallMs: number }];
}

/**
 * Worker threads that can be made to fail, and the supervisor that recovers
 * from a lost one (restore every shard from the last restart point, replay).
 * What the worker-crash and worker-stall faults, and worker-crash cascades, need.
 */
export interface ShardSupervision extends ShardLayout {
  /** Steps the supervised run has completed. */
  readonly currentStep: number;
  /** Chunks restarted after a lost worker, since creation. */
  readonly restartCount: number;
  /** Makes shard `shard` fail when it reaches step `atStep` (stall: for `stallMs` wall ms). */
  injectFailure(shard: number, atStep: number, mode: ShardFailureMode, stallMs?: number): void;
  /** Drops injected failures of `shard` at or after `atStep` that have not happened yet; returns how many. */
  cancelFailures(shard: number, atStep: number): number;
  /** Ends an injected stall of `shard` now (its worker resumes where it was). */
  releaseStall(shard: number): void;
  /** Stalls served by `shard` since creation (run to their end or released). */
  stallsServed(shard: number): number;
  /** Whether `shard`'s worker is blocked in an injected stall right now. */
  isStalled(shard: number): boolean;
  /** Terminates, from outside, the thread running `shard`'s task (if any); whether one was found. */
  terminateShardThread(shard: number): Promise<boolean>;
  /** Subscribes to the supervisor's reports. */
  onSupervision<E extends keyof ShardSupervisionEvents>(event: E, listener: (...args: ShardSupervisionEvents[E]) => void): void;
}

/** Every optional capability, by name. */
export interface BackendCapabilities {
  'shard-layout': ShardLayout;
  'shard-supervision': ShardSupervision;
}
export type CapabilityName = keyof BackendCapabilities;
export const CAPABILITY_NAMES: readonly CapabilityName[] = ['shard-layout', 'shard-supervision'];

/** The backend's `name` capability, or null when it has none (a backend without `capability` offers none). */
export function capabilityOf<K extends CapabilityName>(backend: SimulationBackend, name: K): BackendCapabilities[K] | null {
  return backend.capability?.(name) ?? null;
}

/**
 * The backend's `name` capability; an UnsupportedError (reported against
 * `field`, with `what` as the capability a user asked for and `reason` as
 * the way out) when it has none.
 */
export function requireCapability<K extends CapabilityName>(backend: SimulationBackend, name: K, field: string, what: string, reason: string): BackendCapabilities[K] {
  const found = capabilityOf(backend, name);
  if (found) return found;
  throw unsupported(backend.name, what, reason, field);
}
