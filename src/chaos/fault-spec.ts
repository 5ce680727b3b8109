import { z } from 'zod';
import { InputError, shownJson } from '../util/errors.js';
import { toInputError } from '../util/zod-errors.js';
import { cpuStressSchema } from './cpu-stress.js';
import { partitionSchema } from './partition.js';
import { diskFaultSchema } from './disk-fault.js';
import { allocatorPressureSchema } from './allocator-pressure.js';
import { cascadingFailureSchema } from './cascading-failure.js';
import { FAULT_KINDS } from './fault.js';
import { neuronFaultSchema } from './neuron-fault.js';
import { spikeStormSchema } from './spike-storm.js';
import { weightCorruptionSchema } from './weight-corruption.js';
import { workerCrashSchema, workerStallSchema } from './worker-faults.js';

/** Fault kinds this build can inject: all of them. */
export const IMPLEMENTED_FAULT_KINDS = FAULT_KINDS;

export const faultSpecSchema = z.discriminatedUnion('kind', [spikeStormSchema, weightCorruptionSchema, neuronFaultSchema, workerCrashSchema, workerStallSchema, cpuStressSchema, partitionSchema, diskFaultSchema, allocatorPressureSchema, cascadingFailureSchema]);
export type FaultSpec = z.infer<typeof faultSpecSchema>;

/** Validates an untrusted fault spec; errors name the field (`fault.rateHz`) and the allowed range. */
export function validateFaultSpec(input: unknown, root = 'fault'): FaultSpec {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new InputError(root, `must be an object with a "kind" (one of ${IMPLEMENTED_FAULT_KINDS.join(', ')})`);
  }
  const kind = (input as { kind?: unknown } | null)?.kind;
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
