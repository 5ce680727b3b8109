import { readFileSync } from 'node:fs';
import { InputError } from '../util/errors.js';
import type { CliContext } from './context.js';
import { simulateCommand, SIMULATE_HELP } from './simulate-command.js';
import { runCommand } from './run-command.js';
import { recordingCommand } from './recording-command.js';
import { listCommand, reportCommand, validateCommand } from './scenario-commands.js';
import { writeBackendList } from './backend-list.js';
import { campaignCommand } from './campaign-command.js';
import { workerCommand } from './worker-command.js';

const HELP = `Usage: neurochaos <command> [options]

Chaos engineering for spiking cortical-column simulations.

Commands:
  run FILE...  run scenario experiments: baseline, inject, observe, recover, score, report
               (FILE may be a shipped scenario's name: neurochaos run quick)
  simulate     build a model and simulate it (default: microcircuit, scale 0.1, 1 s)
  list         shipped scenarios and fault kinds
  validate F   check scenario files (the checks of run --dry-run)
  report J     regenerate report.html and summary.md from a journal.json
  recording F  validate a durable spike recording and report any gap
  campaign F   sweep fault parameters over trials, defences, backends: local pool or BullMQ (--queue)
  worker       take campaign jobs from a BullMQ queue (--queue redis://host:port)

Run 'neurochaos <command> --help' for a command's options.

Exit codes: 0 success, 1 failure, 2 bad input (flag, model file), 130 interrupted.
NEUROCHAOS_DEBUG=1 prints the stack trace of an unexpected error.`;

export const EXIT_BAD_INPUT = 2;

export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        ctx.stdout.write(`${HELP}\n`);
        return command === undefined ? EXIT_BAD_INPUT : 0;
      case '--version':
      case '-v':
        ctx.stdout.write(`${packageVersion()}\n`);
        return 0;
      case 'simulate':
        return await simulateCommand(rest, ctx);
      case 'run':
        return await runCommand(rest, ctx);
      case 'list': {
        const code = listCommand(rest, ctx);
        // The backends come from the registry, with whether each runs here (help alone prints no list).
        if (code === 0 && !rest.some((a) => a === '-h' || a === '--help')) await writeBackendList(ctx);
        return code;
      }
      case 'validate':
        return validateCommand(rest, ctx);
      case 'report':
        return reportCommand(rest, ctx);
      case 'recording':
        return recordingCommand(rest, ctx);
      case 'campaign':
        return await campaignCommand(rest, ctx);
      case 'worker':
        return await workerCommand(rest, ctx);
      default:
        throw new InputError('command', `unknown command "${command}" (commands: run, simulate, list, validate, report, recording, campaign, worker); see --help`);
    }
  } catch (e) {
    return reportError(e, ctx);
  }
}

/**
 * Turns an error that reached the top into a message and an exit code.
 * Bad input (InputError): exit 2 with the field. A system error (a file that
 * cannot be read or written, a full disk: it carries an errno code): exit 1
 * with its message, no stack trace, since it is about the user's machine, not
 * this program. Anything else is a bug: exit 1 with the message, and the stack
 * trace when NEUROCHAOS_DEBUG is set.
 */
export function reportError(e: unknown, ctx: CliContext): number {
  if (e instanceof InputError) {
    ctx.stderr.write(`neurochaos: error: ${e.message}\n`);
    return EXIT_BAD_INPUT;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as NodeJS.ErrnoException).code;
  if (process.env.NEUROCHAOS_DEBUG) ctx.stderr.write(`neurochaos: failed: ${err.stack ?? err.message}\n`);
  else if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) ctx.stderr.write(`neurochaos: failed: ${err.message}\n`);
  else ctx.stderr.write(`neurochaos: failed: ${err.name === 'Error' ? '' : `${err.name}: `}${err.message} (an unexpected error; NEUROCHAOS_DEBUG=1 shows where)\n`);
  return 1;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export { SIMULATE_HELP };
