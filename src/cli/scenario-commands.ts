import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FAULT_KINDS } from '../chaos/fault.js';
import type { Journal } from '../engine/journal.js';
import { loadScenario } from '../engine/load-scenario.js';
import { checkOutputFolder } from '../io/output-location.js';
import { loadCampaign, looksLikeCampaign } from '../campaign/load-campaign.js';
import { writeOutputs } from '../report/write-outputs.js';
import { InputError } from '../util/errors.js';
import type { CliContext } from './context.js';
import { defineCommand, type FlagTable, type ParsedCommand } from './command-table.js';
import { writeBackendList } from './backend-list.js';
import { checkScenario } from './scenario-check.js';
import { SCENARIO_DIR, shippedScenarioNames } from './shipped-scenarios.js';

/** neurochaos list: the shipped scenarios, the fault kinds, the backends. */
export const LIST_COMMAND = defineCommand({
  name: 'list',
  summary: 'shipped scenarios, fault kinds and backends (with whether each runs here)',
  description: 'Prints the shipped scenarios (run one by name: neurochaos run quick), the fault kinds, and every registered backend with whether it runs on this machine and why.',
  flags: {},
  run: async (_parsed, ctx) => {
    listCommand(ctx);
    // The backends come from the registry, with whether each runs here.
    await writeBackendList(ctx);
    return 0;
  },
});

/** The scenarios and fault kinds part of `neurochaos list`. */
export function listCommand(ctx: CliContext): void {
  const names = shippedScenarioNames();
  ctx.stdout.write(`Scenarios (shipped; run one by name, e.g. neurochaos run ${names.includes('quick') ? 'quick' : names[0]}):\n`);
  for (const name of names) {
    const s = loadScenario(join(SCENARIO_DIR, `${name}.yaml`));
    ctx.stdout.write(`  ${name.padEnd(30)} ${s.title} (${s.experiments.length} experiment${s.experiments.length === 1 ? '' : 's'})\n`);
  }
  ctx.stdout.write(`Fault kinds:\n  ${FAULT_KINDS.join('\n  ')}\n`);
}

/** neurochaos validate FILE...: the checks of `run --dry-run` (one shared function). */
export const VALIDATE_COMMAND = defineCommand({
  name: 'validate',
  summary: 'check scenario files (the checks of run --dry-run) without simulating',
  args: { syntax: 'FILE|NAME...', max: 100 },
  description: `Checks scenario files (or shipped scenarios by name) exactly as 'run --dry-run' does, without simulating: the scenario's fields and ranges, every fault against its kind's schema, the model (built-in or file) and the fault targets on the built network. Every error of a file is reported at once: first the schema's, then (once it holds) the checks across fields and times on the dt grid, then each fault against the model. A campaign file (one with sweeps) gets the checks of 'campaign --dry-run': its fields, grids and every point's fault.`,
  flags: {},
  exitCodes: '0 every file is valid; 2 one is not: each bad file\'s errors are printed (the file, each field and its allowed range), every file is checked; 130 interrupted (Ctrl-C stops the network build of the checks).',
  run: ({ args }, ctx) => validateCommand(args, ctx),
});

/**
 * Exit 0 when every file is valid, 2 when one is not. Every file is checked;
 * within a file, every schema error is reported at once, then (once the
 * schema holds) every cross-field error, then every fault that does not fit
 * the model: a later stage needs the earlier one's values.
 */
export async function validateCommand(positionals: string[], ctx: CliContext): Promise<number> {
  if (positionals.length === 0) throw new InputError('FILE', 'give at least one scenario file or shipped scenario name; see --help');
  let code = 0;
  for (const f of positionals) {
    // A campaign file (it has sweeps) gets the campaign's checks: docs/campaigns.md.
    if (looksLikeCampaign(f)) {
      try {
        const c = loadCampaign(f);
        for (const n of c.notices) ctx.stderr.write(`neurochaos: ${n}\n`);
        ctx.stdout.write(`${f}: valid campaign (${c.spec.title}, ${c.jobs.length} job${c.jobs.length === 1 ? '' : 's'})\n`);
      } catch (e) {
        if (!(e instanceof InputError) || positionals.length === 1) throw e;
        ctx.stderr.write(`neurochaos: error: ${e.message}\n`);
        code = EXIT_BAD_INPUT;
      }
      continue;
    }
    let s;
    try {
      const checked = await checkScenario(f, { signal: ctx.signal });
      s = checked.scenario;
      for (const n of checked.notices) ctx.stderr.write(`neurochaos: ${n}\n`);
    } catch (e) {
      if (!(e instanceof InputError) || positionals.length === 1) throw e;
      ctx.stderr.write(`neurochaos: error: ${e.message}\n`);
      code = EXIT_BAD_INPUT;
      continue;
    }
    ctx.stdout.write(`${f}: valid (${s.title}, ${s.experiments.length} experiment${s.experiments.length === 1 ? '' : 's'})\n`);
  }
  return code;
}

/** Exit code of bad input (as main's). */
const EXIT_BAD_INPUT = 2;

const REPORT_FLAGS = {
  out: { type: 'string', value: 'DIR', description: 'output folder', defaultText: "the journal's folder" },
} as const satisfies FlagTable;

/** neurochaos report JOURNAL: the reports again from a journal. */
export const REPORT_COMMAND = defineCommand({
  name: 'report',
  summary: 'regenerate report.html and summary.md from a journal.json',
  args: { syntax: 'JOURNAL', max: 1 },
  description: "Regenerates report.html and summary.md from a journal.json written by 'run' (journals of older format versions are read too).",
  flags: REPORT_FLAGS,
  exitCodes: '0 written; 2 the journal cannot be read or the folder cannot be written.',
  run: (parsed, ctx) => reportCommand(parsed, ctx),
});

/** neurochaos report journal.json [--out DIR]: regenerates report.html and summary.md from a journal. */
export function reportCommand({ flags: values, args: positionals }: ParsedCommand<typeof REPORT_FLAGS>, ctx: CliContext): number {
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
