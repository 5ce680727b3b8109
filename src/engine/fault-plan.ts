import { faultKind, PER_REPLICA_KINDS } from '../chaos/fault-kinds.js';
import { validateFaultSpec, type FaultSpec } from '../chaos/fault-spec.js';
import { InputError } from '../util/errors.js';

/** Faults that hit chosen replicas (so a batch can keep unfaulted controls); the others act on shared connectivity or threads. From the registry. */
export { PER_REPLICA_KINDS };

/**
 * Turns a scenario's fault into a chaos spec: the kind's scenario spellings
 * (amplitudePa / amplitudeMv for storms), its simulated-time fields scaled
 * by the time scale, treated replicas for per-replica kinds. What each kind
 * does here is in its descriptor (src/chaos/kinds/).
 */
export function planFault(raw: Record<string, unknown>, timeScale: number, treated: number[] | null, field: string): FaultSpec {
  const kind = typeof raw.kind === 'string' ? faultKind(raw.kind) : undefined;
  // An unknown kind goes straight to validation, which names the kinds there are.
  if (!kind) return validateFaultSpec(raw, field);
  const f: Record<string, unknown> = kind.fromScenario({ ...raw }, field);
  for (const k of kind.timeScaled) {
    if (typeof f[k] === 'number') f[k] = (f[k] as number) * timeScale;
  }
  if (treated && kind.perReplica) {
    const target = (f.target ?? {}) as Record<string, unknown>;
    f.target = { ...target, replicas: target.replicas ?? treated };
  }
  try {
    return validateFaultSpec(f, field);
  } catch (e) {
    // An error about the amplitude names the alias the scenario used (amplitudePa / amplitudeMv).
    const alias = raw.amplitudePa !== undefined ? 'amplitudePa' : raw.amplitudeMv !== undefined ? 'amplitudeMv' : null;
    if (alias && e instanceof InputError) throw new InputError(e.field.replace(`${field}.amplitude`, `${field}.${alias}`), e.message.slice(e.field.length + 2).replaceAll(`${field}.amplitude:`, `${field}.${alias}:`));
    throw e;
  }
}
