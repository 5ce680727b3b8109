import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FAULT_KINDS } from '../chaos/fault.js';
import type { Journal } from '../engine/journal.js';
import { loadScenario } from '../engine/load-scenario.js';
import { checkOutputFolder } from '../io/output-location.js';
import { writeOutputs } from '../report/write-outputs.js';
import { InputError } from '../util/errors.js';
import type { CliContext } from './context.js';
import { parseFlags } from './parse-flags.js';
import { checkScenario } from './scenario-check.js';
import { SCENARIO_DIR, shippedScenarioNames } from './shipped-scenarios.js';

export const LIST_HELP = `Usage: neurochaos list

Prints the shipped scenarios (run one by name: neurochaos run quick) and the fault kinds.`;

export const VALIDATE_HELP = `Usage: neurochaos validate FILE|NAME...

Checks scenario files (or shipped scenarios by name) exactly as 'run --dry-run'
does, without simulating: the scenario's fields and ranges, every fault against
its kind's schema, the model (built-in or file) and the fault targets on the
built network.

Exit codes: 0 every file is valid; 2 at the first file that is not, with its errors (the file and each field).`;

export const REPORT_HELP = `Usage: neurochaos report JOURNAL [--out DIR]

Regenerates report.html and summary.md from a journal.json written by 'run'.

Options:
  --out DIR     output folder (default: the journal's folder)
  -h, --help    this help

Exit codes: 0 written; 2 the journal cannot be read or the folder cannot be written.`;

const help = { help: { type: 'boolean', short: 'h' } } as const;

/** neurochaos list: the shipped scenarios and the fault kinds. */
export function listCommand(argv: string[], ctx: CliContext): number {
  const { values } = parseFlags(argv, help);
  if (values.help) {
    ctx.stdout.write(`${LIST_HELP}\n`);
    return 0;
  }
  const names = shippedScenarioNames();
  ctx.stdout.write(`Scenarios (shipped; run one by name, e.g. neurochaos run ${names.includes('quick') ? 'quick' : names[0]}):\n`);
  for (const name of names) {
    const s = loadScenario(join(SCENARIO_DIR, `${name}.yaml`));
    ctx.stdout.write(`  ${name.padEnd(30)} ${s.title} (${s.experiments.length} experiment${s.experiments.length === 1 ? '' : 's'})\n`);
  }
  ctx.stdout.write(`Fault kinds:\n  ${FAULT_KINDS.join('\n  ')}\n`);
  return 0;
}

/** neurochaos validate FILE...: the checks of `run --dry-run` (one shared function); exit 0 when every file is valid, 2 with the first error. */
export function validateCommand(argv: string[], ctx: CliContext): number {
  const { values, positionals } = parseFlags(argv, help, 100);
  if (values.help) {
    ctx.stdout.write(`${VALIDATE_HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new InputError('FILE', 'give at least one scenario file or shipped scenario name; see --help');
  for (const f of positionals) {
    const { scenario: s, notices } = checkScenario(f);
    for (const n of notices) ctx.stderr.write(`neurochaos: ${n}\n`);
    ctx.stdout.write(`${f}: valid (${s.title}, ${s.experiments.length} experiment${s.experiments.length === 1 ? '' : 's'})\n`);
  }
  return 0;
}

/** neurochaos report journal.json [--out DIR]: regenerates report.html and summary.md from a journal. */
export function reportCommand(argv: string[], ctx: CliContext): number {
  const { values, positionals } = parseFlags(argv, { out: { type: 'string' }, ...help }, 1);
  if (values.help) {
    ctx.stdout.write(`${REPORT_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1) throw new InputError('FILE', 'give one journal.json; see --help');
  let j: Journal;
  try {
    j = JSON.parse(readFileSync(positionals[0], 'utf8')) as Journal;
  } catch (e) {
    throw new InputError('FILE', `cannot read journal "${positionals[0]}": ${(e as Error).message.split('\n')[0]}`);
  }
  if (!j || j.tool?.name !== 'neurochaos' || !Array.isArray(j.experiments)) throw new InputError('FILE', `"${positionals[0]}" is not a neurochaos journal`);
  const out = values.out ?? dirname(positionals[0]);
  checkOutputFolder(out, values.out === undefined ? 'FILE' : '--out');
  const files = writeOutputs(out, j);
  ctx.stdout.write(`wrote ${files.slice(1).join(', ')}\n`);
  return 0;
}
