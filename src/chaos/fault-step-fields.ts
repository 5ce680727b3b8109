import { faultKind } from './fault-kinds.js';

/**
 * A fault kind's spec fields in simulated ms that become steps: its
 * time-scaled fields (a wall-clock duration excepted) plus a storm's start
 * delay and a partition's extra synaptic delay (a delay, multiple of dt as NEST
 * asks of delays).
 */
export function faultStepFields(kindName: string): string[] {
  const kind = faultKind(kindName);
  if (!kind) return [];
  const fields = kind.timeScaled.filter((k) => !(k === 'durationMs' && (kind.durationEndsBy === 'wall-clock' || kindName === 'worker-stall')));
  if (kindName === 'spike-storm') fields.push('delayMs');
  if (kindName === 'partition') fields.push('extraDelayMs');
  return fields;
}
