import type { Scenario } from './scenario-schema.js';

export const DEFENCE_MODES = ['on', 'off', 'both'] as const;
export type DefenceMode = (typeof DEFENCE_MODES)[number];

/**
 * The same scenario with every defence switched off: no guards, no
 * scrubbing, the raw recorder, no graceful degradation. Run beside the
 * defended scenario it shows the raw vulnerability.
 */
export function withDefencesOff(s: Scenario): Scenario {
  return { ...s, defences: { ...s.defences, guards: false, scrub: false, recording: s.defences.recording === 'off' ? 'off' : 'raw', degrade: false } };
}
