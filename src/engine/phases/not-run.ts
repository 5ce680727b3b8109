import { experimentDurations } from './experiment-state.js';
import type { ExperimentRecord } from '../journal.js';
import type { ExperimentSpec, Scenario } from '../scenario-schema.js';
import { experimentVerdict } from '../verdict.js';
import { UNSCORED } from '../scores.js';

/**
 * The record of an experiment the run never started (it was interrupted
 * before): nothing measured, so every score part, hypothesis and CV is null
 * and its verdict is `not-run`.
 */
export function notRunRecord(scenario: Scenario, spec: ExperimentSpec, timeScale: number, reason: string): ExperimentRecord {
  const durations = experimentDurations(scenario, spec, timeScale);
  const record: Omit<ExperimentRecord, 'verdict'> = {
    id: spec.id,
    description: spec.description,
    status: 'not-run',
    deviated: false,
    hypothesis: { before: null, during: null, after: null },
    fault: { id: spec.id, kind: String(spec.fault.kind), spec: spec.fault, targets: {}, injectedAtMs: null, stoppedAtMs: null, endedAtMs: null },
    durations,
    bands: {},
    samples: [],
    recovery: { recovered: false, simMs: null, wallMs: null, slaMet: false },
    cvIsi: { baseline: null, fault: null, recovery: null },
    defences: {
      guards: scenario.defences.guards,
      scrub: scenario.defences.scrub,
      corruptionsInjected: 0,
      corruptionsDetected: 0,
      corruptionsRepaired: 0,
      detectionLatencySteps: null,
      nonFiniteContained: 0,
      quarantinedNeurons: 0,
      inputsCapped: 0,
      allocationFailures: 0,
      alertsFired: 0,
      falseAlarms: 0,
      alertLatencyMs: null,
      recording: 'off',
      spikesLost: 0,
      spikesDuplicated: 0,
      degradations: 0,
    },
    scores: { ...UNSCORED },
    comparison: null,
    abortReason: reason,
    raster: { fromMs: 0, toMs: 0, replica: 0, pairs: [] },
    steps: [],
    alerts: [],
    recording: null,
    degradations: [],
  };
  return { ...record, verdict: experimentVerdict(record) };
}
