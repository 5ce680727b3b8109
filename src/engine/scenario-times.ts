import { faultKind } from '../chaos/fault-kinds.js';
import { faultStepFields } from '../chaos/fault-step-fields.js';

export { faultStepFields };
import type { FaultSpec } from '../chaos/fault-spec.js';
import { checkMultipleOfDt, roundedSteps } from '../util/time-steps.js';
import type { InputErrors } from '../util/input-errors.js';
import type { Scenario } from './scenario-schema.js';

/** Duration fields of the defaults and of each experiment that become steps of dt. */
const DURATION_FIELDS = ['warmupMs', 'baselineMs', 'monitorIntervalMs', 'holdMs'] as const;
const EXPERIMENT_FIELDS = ['observationMs', 'recoveryTimeoutMs', ...DURATION_FIELDS] as const;

/**
 * Every time the scenario wrote that becomes steps must be a multiple of its
 * dtMs (src/util/time-steps.ts): the defaults' and each experiment's
 * durations, the scrub interval and the guards' quarantine, each fault's
 * simulated-time fields. The SLA is compared in ms and is not checked.
 * @param errors where to collect the errors (every one is checked); absent: the first is thrown
 * @throws InputError naming the field (`scenario.experiments[0].observationMs`) and the nearest valid values
 */
export function checkScenarioTimes(s: Scenario, root: string, raw: unknown, errors?: InputErrors): void {
  const dt = s.dtMs;
  // Only what the scenario wrote: a default the tool filled in is not the user's to fix (it rounds, as derived times do).
  const wrote = (field: string) => field.split(/\.|\[(\d+)\]\.?/).filter((p) => p !== undefined && p !== '').reduce<unknown>((o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), raw) !== undefined;
  const at = (v: unknown, field: string) => {
    if (typeof v === 'number' && Number.isFinite(v) && wrote(field)) {
      if (errors) errors.check(() => checkMultipleOfDt(v, dt, `${root}.${field}`));
      else checkMultipleOfDt(v, dt, `${root}.${field}`);
    }
  };
  for (const k of DURATION_FIELDS) at(s.defaults[k], `defaults.${k}`);
  at(s.defences.scrubEveryMs, 'defences.scrubEveryMs');
  at(s.defences.quarantineMs, 'defences.quarantineMs');
  s.experiments.forEach((e, i) => {
    for (const k of EXPERIMENT_FIELDS) at(e[k], `experiments[${i}].${k}`);
    const f = e.fault as Record<string, unknown>;
    if (typeof f.kind === 'string') for (const k of faultStepFields(f.kind)) at(f[k], `experiments[${i}].fault.${k}`);
  });
}

/**
 * The times --time-scale derives (observation, recovery timeout, the fault's
 * scaled fields) round to the nearest step; one that rounds to 0 steps is
 * refused naming the field and the scale (`experiments[0].observationMs`).
 */
export function checkScaledSteps(e: { observationMs: number; recoveryTimeoutMs: number }, fault: FaultSpec, timeScale: number, dtMs: number, index: number): void {
  const why = timeScale === 1 ? '' : ` x --time-scale ${timeScale}`;
  roundedSteps(e.observationMs * timeScale, dtMs, `experiments[${index}].observationMs${why}`);
  roundedSteps(e.recoveryTimeoutMs * timeScale, dtMs, `experiments[${index}].recoveryTimeoutMs${why}`);
  const f = fault as unknown as Record<string, unknown>;
  const kind = faultKind(String(f.kind));
  for (const k of faultStepFields(String(f.kind))) {
    if (kind?.timeScaled.includes(k) && typeof f[k] === 'number' && (f[k] as number) > 0) roundedSteps(f[k] as number, dtMs, `experiments[${index}].fault.${k}${why}`);
  }
}
