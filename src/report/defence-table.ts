import type { ExperimentRecord } from '../engine/journal.js';
import { esc } from './html-escape.js';

const n = (x: number | null | undefined, dash = '-') => (x === null || x === undefined || !Number.isFinite(x) ? dash : String(x));
const onOff = (x: boolean | undefined) => (x === undefined ? '-' : x ? 'on' : 'off');

/**
 * What each defence was set to and what it counted, one row per defence
 * (guards, weight scrubbing, spike recording, graceful degradation, alerts),
 * from the record's `defences` (and `recording`) figures; empty when the
 * record has none (a not-run experiment).
 */
export function defenceTable(e: ExperimentRecord): string {
  const d = e.defences;
  if (!d) return '';
  const rec = e.recording;
  const rows: [string, string, string][] = [
    ['guards', onOff(d.guards), `non-finite contained ${n(d.nonFiniteContained, '0')}, quarantined neurons ${n(d.quarantinedNeurons, '0')}, inputs capped ${n(d.inputsCapped, '0')}`],
    ['weight scrubbing', onOff(d.scrub), `corruptions injected ${n(d.corruptionsInjected, '0')}, detected ${n(d.corruptionsDetected, '0')}, repaired ${n(d.corruptionsRepaired, '0')}, first found ${d.detectionLatencySteps === null || d.detectionLatencySteps === undefined ? '-' : `${d.detectionLatencySteps} steps after injection`}`],
    [
      'spike recording',
      d.recording ?? 'off',
      `spikes lost ${n(d.spikesLost, '0')}, duplicated ${n(d.spikesDuplicated, '0')}${rec ? `; ${rec.spikesRecorded} spikes in ${rec.blocksWritten} blocks, ${rec.writeErrors} write errors, ${rec.retries} retries, backlog peak ${rec.maxBacklogBytes} B, file ${rec.valid ? 'valid' : `INVALID (${rec.gaps?.length ?? 0} gap(s))`}` : ''}`,
    ],
    ['graceful degradation', (d.degradations ?? 0) > 0 ? 'acted' : '-', `allocation failures ${n(d.allocationFailures, '0')}, degradations ${n(d.degradations, '0')}`],
    ['alerts', '-', `fired ${n(d.alertsFired, '0')} (first ${d.alertLatencyMs === null || d.alertLatencyMs === undefined ? '-' : `${d.alertLatencyMs.toFixed(0)} ms`} after injection), false alarms on the baseline ${n(d.falseAlarms, '0')}`],
  ];
  const body = rows.map(([a, b, c]) => `<tr><th scope="row">${esc(a)}</th><td>${esc(b)}</td><td>${esc(c)}</td></tr>`).join('');
  const degradations = Array.isArray(e.degradations) && e.degradations.length ? `<ul class="compact">${e.degradations.map((g) => `<li>${g.tMs.toFixed(0)} ms: ${esc(g.component)} gave up ${esc(g.gaveUp)}</li>`).join('')}</ul>` : '';
  return `<table class="defences"><caption>Defences</caption><tr><th>defence</th><th>setting</th><th>counters</th></tr>${body}</table>${degradations}`;
}
