import { writeFileSync } from 'node:fs';
import type { SortedSpikes } from './export-recording.js';

/**
 * CSV of spikes, one row each: `time_ms,replica,neuron`, ordered by time,
 * replica, neuron (pandas.read_csv, R, a spreadsheet). Written in one go:
 * a row is about 20 bytes, so even 10 M spikes fit in memory.
 */
export function writeSpikesCsv(out: string, s: SortedSpikes): void {
  const rows: string[] = ['time_ms,replica,neuron'];
  for (let i = 0; i < s.timesMs.length; i++) rows.push(`${s.timesMs[i]},${s.replicas[i]},${s.neurons[i]}`);
  writeFileSync(out, `${rows.join('\n')}\n`);
}

