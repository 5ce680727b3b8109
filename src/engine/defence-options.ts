import { roundedSteps } from '../util/time-steps.js';
import type { Scenario } from './scenario-schema.js';

/**
 * The backend options a scenario's defences set (graceful degradation, the
 * guards, weight scrubbing), in one place so that the engine's backends and
 * any twin built beside them (a campaign's reference run, its task run) are
 * defended alike.
 *
 * @throws InputError naming `defences.scrubEveryMs` when it is not a multiple of dtMs
 */
/**
 * Every backend option a scenario sets: its defences' (defenceBackendOptions)
 * and the update's arithmetic (`precision`), for the engine's backends and
 * the twins built beside them (a campaign's reference run, its task run),
 * which must compute alike.
 *
 * @throws InputError as defenceBackendOptions
 */
export function scenarioBackendOptions(scenario: Pick<Scenario, 'defences' | 'dtMs' | 'precision'>) {
  return { ...defenceBackendOptions(scenario), precision: scenario.precision };
}

export function defenceBackendOptions(scenario: Pick<Scenario, 'defences' | 'dtMs'>) {
  const d = scenario.defences;
  return {
    degrade: d.degrade,
    guards: { enabled: d.guards, saturationPa: d.saturationPa, quarantineMs: d.quarantineMs },
    scrub: d.scrub ? { everySteps: roundedSteps(d.scrubEveryMs, scenario.dtMs, 'defences.scrubEveryMs') } : undefined,
  };
}
