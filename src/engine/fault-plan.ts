import { validateFaultSpec, type FaultSpec } from '../chaos/fault-spec.js';
import { InputError } from '../util/errors.js';

/** Faults that hit chosen replicas (so a batch can keep unfaulted controls); the others act on shared connectivity or threads. */
export const PER_REPLICA_KINDS = new Set(['spike-storm', 'neuron-fault']);

/**
 * Turns a scenario's fault into a chaos spec: scenario aliases
 * (amplitudePa / amplitudeMv for storms), durations scaled by the time scale,
 * treated replicas for per-replica kinds.
 */
export function planFault(raw: Record<string, unknown>, timeScale: number, treated: number[] | null, field: string): FaultSpec {
  const f: Record<string, unknown> = { ...raw };
  if (f.kind === 'spike-storm') {
    const pa = f.amplitudePa;
    const mv = f.amplitudeMv;
    if (pa !== undefined && mv !== undefined) throw new InputError(`${field}.amplitudeMv`, 'give amplitudePa or amplitudeMv, not both');
    // One way to say the amplitude: the alias carries its unit, so amplitude and unit beside it would be silently overridden.
    for (const other of ['amplitude', 'unit']) {
      if ((pa !== undefined || mv !== undefined) && f[other] !== undefined) throw new InputError(`${field}.${other}`, `give amplitude (with unit) or ${pa !== undefined ? 'amplitudePa' : 'amplitudeMv'}, not both`);
    }
    if (pa !== undefined) {
      f.amplitude = pa;
      f.unit = 'pA';
    }
    if (mv !== undefined) {
      f.amplitude = mv;
      f.unit = 'mV';
    }
    delete f.amplitudePa;
    delete f.amplitudeMv;
  }
  for (const k of ['durationMs', 'propagationDelayMs', 'afterMs']) {
    if (typeof f[k] === 'number') f[k] = (f[k] as number) * timeScale;
  }
  if (treated && PER_REPLICA_KINDS.has(String(f.kind))) {
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
