import { z } from 'zod';
import { InputError, shownJson } from '../util/errors.js';
import { toInputError } from '../util/zod-errors.js';
import { FAULT_KIND_REGISTRY, FAULT_KINDS } from './fault-kinds.js';

/** Fault kinds this build can inject: all of them. */
export const IMPLEMENTED_FAULT_KINDS = FAULT_KINDS;

type Registry = typeof FAULT_KIND_REGISTRY;
type SchemaOf<D> = D extends { schema: infer S } ? S : never;
type SchemasOf<T extends readonly unknown[]> = T extends readonly [infer H, ...infer R] ? [SchemaOf<H>, ...SchemasOf<R>] : [];
type Schemas = SchemasOf<Registry>;

/** Every kind's schema, told apart by `kind` (the registry's order). */
export const faultSpecSchema = z.discriminatedUnion('kind', FAULT_KIND_REGISTRY.map((d) => d.schema) as unknown as Schemas);
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** Validates an untrusted fault spec; errors name the field (`fault.rateHz`) and the allowed range. */
export function validateFaultSpec(input: unknown, root = 'fault'): FaultSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError(root, `must be an object with a "kind" (one of ${IMPLEMENTED_FAULT_KINDS.join(', ')})`);
  }
  const kind = (input as { kind?: unknown } | null)?.kind;
  if (kind === 'spike-storm') {
    // Scenario files may write amplitudeMv / amplitudePa (src/chaos/kinds/spike-storm.ts fromScenario); a fault
    // spec has one spelling, and zod's "Unrecognized key" would not say which.
    const raw = input as Record<string, unknown>;
    for (const alias of ['amplitudeMv', 'amplitudePa'] as const) {
      if (!(alias in raw)) continue;
      const unit = alias === 'amplitudeMv' ? 'mV' : 'pA';
      const value = raw[alias];
      const shown = typeof value === 'number' && Number.isFinite(value) ? String(value) : '<a number>';
      const hint = raw.amplitude !== undefined ? 'drop it: amplitude and unit are given' : `write amplitude: ${shown}, unit: '${unit}'`;
      throw new InputError(`${root}.${alias}`, `is the scenario files' spelling, not a fault spec's; ${hint}`);
    }
  }
  const parsed = faultSpecSchema.safeParse(input);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    if (first?.code === 'invalid_union_discriminator') {
      throw new InputError(`${root}.kind`, `must be one of ${IMPLEMENTED_FAULT_KINDS.join(', ')} (got ${shownJson(kind)})`);
    }
    throw toInputError(parsed.error, root, input);
  }
  return parsed.data;
}

/**
 * What a script writes to inject a fault: the input type of every kind's zod
 * schema (`z.input`, so optional fields with defaults stay optional), told
 * apart by `kind`. Derived from the registry (src/chaos/fault-kinds.ts), so a
 * field added to a kind's schema is a field here; a misspelt field
 * (`rateHZ`) or a value of the wrong type is a compile error.
 * `ChaosController.inject` takes it; data read from files goes through
 * `validateFaultSpec` (or `ChaosController.injectUnknown`) at run time.
 */
export type FaultInput = z.input<typeof faultSpecSchema>;

/** The input of one kind: `FaultInputOf<'spike-storm'>`. */
export type FaultInputOf<K extends FaultInput['kind']> = Extract<FaultInput, { kind: K }>;

/** Per-kind inputs under their own names (the same types as FaultInputOf). */
export type SpikeStormInput = FaultInputOf<'spike-storm'>;
export type WeightCorruptionInput = FaultInputOf<'weight-corruption'>;
export type NeuronFaultInput = FaultInputOf<'neuron-fault'>;
export type AllocatorPressureInput = FaultInputOf<'allocator-pressure'>;
export type WorkerCrashInput = FaultInputOf<'worker-crash'>;
export type WorkerStallInput = FaultInputOf<'worker-stall'>;
export type PartitionInput = FaultInputOf<'partition'>;
export type CpuStressInput = FaultInputOf<'cpu-stress'>;
export type DiskFaultInput = FaultInputOf<'disk-fault'>;
export type CascadingFailureInput = FaultInputOf<'cascading-failure'>;
