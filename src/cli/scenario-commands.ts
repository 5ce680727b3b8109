import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAULT_KINDS } from '../chaos/fault.js';
import type { Journal } from '../engine/journal.js';
import { loadScenario } from '../engine/load-scenario.js';
import { writeOutputs } from '../report/write-outputs.js';
import { InputError } from '../util/errors.js';
import type { CliContext } from './context.js';
import { parseFlags } from './parse-flags.js';

const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../scenarios');

/** neurochaos list: the shipped scenarios and the fault kinds. */
export function listCommand(argv: string[], ctx: CliContext): number {
  parseFlags(argv, {});
  const files = readdirSync(SCENARIO_DIR).filter((f) => f.endsWith('.yaml')).sort();
  ctx.stdout.write('Scenarios (scenarios/):\n');
  for (const f of files) {
    const s = loadScenario(join(SCENARIO_DIR, f));
    ctx.stdout.write(`  ${f.padEnd(34)} ${s.title} (${s.experiments.length} experiment${s.experiments.length === 1 ? '' : 's'})\n`);
  }
  ctx.stdout.write(`Fault kinds:\n  ${FAULT_KINDS.join('\n  ')}\n`);
  return 0;
}

/** neurochaos validate FILE...: exit 0 when every file is a valid scenario, 2 with the first error otherwise. */
export function validateCommand(argv: string[], ctx: CliContext): number {
  const { positionals } = parseFlags(argv, {}, 100);
  if (positionals.length === 0) throw new InputError('FILE', 'give at least one scenario file');
  for (const f of positionals) {
    const s = loadScenario(f);
    ctx.stdout.write(`${f}: valid (${s.title}, ${s.experiments.length} experiment${s.experiments.length === 1 ? '' : 's'})\n`);
  }
  return 0;
}

/** neurochaos report journal.json [--out DIR]: regenerates report.html and summary.md from a journal. */
export function reportCommand(argv: string[], ctx: CliContext): number {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' } }, 1);
  if (positionals.length !== 1) throw new InputError('FILE', 'give one journal.json');
  let j: Journal;
  try {
    j = JSON.parse(readFileSync(positionals[0], 'utf8')) as Journal;
  } catch (e) {
    throw new InputError('FILE', `cannot read journal "${positionals[0]}": ${(e as Error).message.split('\n')[0]}`);
  }
  if (!j || j.tool?.name !== 'neurochaos' || !Array.isArray(j.experiments)) throw new InputError('FILE', `"${positionals[0]}" is not a neurochaos journal`);
  const files = writeOutputs(values.out ?? dirname(positionals[0]), j);
  ctx.stdout.write(`wrote ${files.slice(1).join(', ')}\n`);
  return 0;
}
