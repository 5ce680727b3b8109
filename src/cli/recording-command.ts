import { existsSync } from 'node:fs';
import { validateRecording } from '../record/read-recording.js';
import { InputError } from '../util/errors.js';
import type { CliContext } from './context.js';
import { defineCommand, type FlagTable, type ParsedCommand } from './command-table.js';
import { jsonFlag } from './common-flags.js';

const RECORDING_FLAGS = {
  json: { ...jsonFlag, description: 'print the validation as one JSON object' },
} as const satisfies FlagTable;

/** neurochaos recording FILE: is a durable spike recording whole? */
export const RECORDING_COMMAND = defineCommand({
  name: 'recording',
  summary: 'validate a durable spike recording and report any gap',
  args: { syntax: 'FILE', max: 1 },
  description: "Validates a durable spike recording (written by 'run' into OUT/recordings/, or by 'simulate --record'): the CRCs of every block, contiguous steps, no duplicate spike. Prints what it holds and every gap.",
  flags: RECORDING_FLAGS,
  exitCodes: '0 the recording is whole; 1 it has gaps, corrupt blocks or duplicates; 2 the file is missing or not a recording.',
  run: (parsed, ctx) => recordingCommand(parsed, ctx),
});

export function recordingCommand({ flags: values, args: positionals }: ParsedCommand<typeof RECORDING_FLAGS>, ctx: CliContext): number {
  const file = positionals[0];
  if (file === undefined) throw new InputError('FILE', 'give a recording file; see --help');
  if (!existsSync(file)) throw new InputError('FILE', `${file} does not exist`);
  let v;
  try {
    v = validateRecording(file);
  } catch (e) {
    throw new InputError('FILE', `${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const dt = v.meta.dtMs;
  if (values.json) {
    const { entries: _entries, ...rest } = v;
    ctx.stdout.write(`${JSON.stringify(rest)}\n`);
  } else {
    ctx.stdout.write(
      [
        `${file}: ${v.ok ? 'whole' : 'DAMAGED'}`,
        `  ${v.meta.neurons} neurons x ${v.meta.batch} replica(s), dt ${dt} ms, seed ${v.meta.seed}`,
        `  ${v.blocks} blocks, ${v.spikes} spikes, steps ${v.meta.startStep} to ${v.endStep} (${(v.meta.startStep * dt).toFixed(1)} to ${(v.endStep * dt).toFixed(1)} ms)`,
        `  corrupt blocks ${v.corruptBlocks}, duplicate spikes ${v.duplicateSpikes}, truncated tail ${v.truncatedTailBytes} bytes`,
        ...v.gaps.map((g) => `  gap: steps ${g.fromStep}-${g.toStep} (${g.reason}${g.spikes !== undefined ? `, ${g.spikes} spikes declared lost` : ''})`),
      ].join('\n') + '\n',
    );
  }
  return v.ok ? 0 : 1;
}
