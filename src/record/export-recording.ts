import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkOutputFile } from '../io/output-location.js';
import { InputError } from '../util/errors.js';
import { entryKeys, validateRecording, type RecordingValidation } from './read-recording.js';
import { writeSpikesCsv } from './export-csv.js';
import { writeSpikesNwb } from './export-nwb.js';

/** Formats a spike recording exports to: CSV (one row per spike) and NWB 2.x (HDF5, a Units table). */
export const EXPORT_FORMATS = ['csv', 'nwb'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  /** The file to write. @defaultValue the recording's path with `.csv` or `.nwb` in place of its extension */
  out?: string;
}

export interface ExportResult {
  out: string;
  format: ExportFormat;
  spikes: number;
  /** Units (one per replica and neuron) the NWB file's Units table holds; CSV: neurons x replicas too. */
  units: number;
  /** Stretches of steps the recording lacks (gaps, corrupt blocks): exported as they are, and said here. */
  gaps: number;
}

/** A recording's spikes in (step, replica, neuron) order, with times in ms. */
export interface SortedSpikes {
  meta: RecordingValidation['meta'];
  /** Spike time, ms of simulated time (step x dt). */
  timesMs: Float64Array;
  replicas: Uint32Array;
  neurons: Uint32Array;
}

/** Reads and orders a recording's spikes. */
export function sortedSpikes(v: RecordingValidation): SortedSpikes {
  const keys = entryKeys(v.entries, v.meta);
  const order = Array.from({ length: keys.length }, (_, i) => i).sort((a, b) => keys[a] - keys[b]);
  const timesMs = new Float64Array(order.length);
  const replicas = new Uint32Array(order.length);
  const neurons = new Uint32Array(order.length);
  order.forEach((k, i) => {
    timesMs[i] = Number.parseFloat((v.entries[k * 3] * v.meta.dtMs).toPrecision(12));
    replicas[i] = v.entries[k * 3 + 1];
    neurons[i] = v.entries[k * 3 + 2];
  });
  return { meta: v.meta, timesMs, replicas, neurons };
}

/**
 * Writes a durable spike recording (src/record/recording-format.ts) as CSV
 * or NWB, for analysis in other tools (pandas, Elephant, pynwb, NWB
 * Widgets). A damaged recording is exported with what it holds; `gaps`
 * says how many stretches are missing.
 * @throws InputError naming `RECORDING` (missing, not a recording) or `format`
 */
export async function exportRecording(path: string, options: ExportOptions): Promise<ExportResult> {
  if (!EXPORT_FORMATS.includes(options?.format)) throw new InputError('format', `must be one of ${EXPORT_FORMATS.join(', ')} (got ${String(options?.format)})`);
  if (!existsSync(path)) throw new InputError('RECORDING', `${path} does not exist`);
  let v: RecordingValidation;
  try {
    v = validateRecording(path);
  } catch (e) {
    throw new InputError('RECORDING', `${path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const out = options.out ?? `${path.replace(/\.[^./\\]*$/, '')}.${options.format}`;
  // Writing over the recording would destroy what is being exported.
  if (resolve(out) === resolve(path)) throw new InputError('out', `"${out}" is the recording itself: give another file`);
  checkOutputFile(out, 'out');
  const spikes = sortedSpikes(v);
  if (options.format === 'csv') writeSpikesCsv(out, spikes);
  else await writeSpikesNwb(out, spikes, path);
  return { out, format: options.format, spikes: spikes.timesMs.length, units: v.meta.neurons * v.meta.batch, gaps: v.gaps.length };
}
