import { EXPORT_FORMATS, exportRecording } from '../record/export-recording.js';
import { InputError } from '../util/errors.js';
import { defineCommand, type FlagTable } from './command-table.js';
import { jsonFlag } from './common-flags.js';

const EXPORT_FLAGS = {
  format: {
    type: 'choice',
    choices: EXPORT_FORMATS,
    default: 'csv',
    description: 'the file format',
    values: () => [
      ['csv', 'one row per spike: time_ms,replica,neuron, in time order (pandas, R, spreadsheets)'],
      ['nwb', 'Neurodata Without Borders 2.x (HDF5): a Units table with one unit per (replica, neuron), spike_times in seconds (pynwb, NWB Widgets, Elephant via neo)'],
    ],
  },
  out: { type: 'string', value: 'FILE', description: 'the file to write', defaultText: 'RECORDING with .csv or .nwb in place of its extension' },
  json: { ...jsonFlag, description: 'print what was written as one JSON object' },
} as const satisfies FlagTable;

/** neurochaos export RECORDING: a durable spike recording as CSV or NWB. */
export const EXPORT_COMMAND = defineCommand({
  name: 'export',
  summary: 'write a spike recording as CSV or NWB for other analysis tools',
  args: { syntax: 'RECORDING', max: 1 },
  description: "Writes a durable spike recording (OUT/recordings/*.spikes from 'run', or the file of 'simulate --record') as CSV or as an NWB 2.x file. A damaged recording is exported with what it holds, and the gaps are counted ('recording' lists them).",
  flags: EXPORT_FLAGS,
  exitCodes: '0 written; 2 the recording is missing or not a recording, or a flag is wrong.',
  async run({ flags, args }, ctx) {
    const file = args[0];
    if (file === undefined) throw new InputError('RECORDING', 'give a recording file; see --help');
    let r;
    try {
      r = await exportRecording(file, { format: flags.format, out: flags.out });
    } catch (e) {
      // The library names its option; the user typed the flag.
      if (e instanceof InputError && e.field === 'out') throw e.withField('--out');
      throw e;
    }
    if (flags.json) ctx.stdout.write(`${JSON.stringify(r)}\n`);
    else ctx.stdout.write(`${r.out}: ${r.spikes} spikes of ${r.units} units (${r.format})${r.gaps > 0 ? `, ${r.gaps} gap(s) in the recording` : ''}\n`);
    return 0;
  },
});
