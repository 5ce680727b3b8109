import { readFileSync } from 'node:fs';
import { InputError, InterruptedError } from '../util/errors.js';
import type { CliContext } from './context.js';
import { COMMANDS } from './registered-commands.js';
import { commandHelp, mainHelp } from './help-text.js';
import { parseCommand } from './parse-command.js';
import { rangeText, type AnyCommand } from './command-table.js';

export const EXIT_BAD_INPUT = 2;
/** Stopped by SIGINT or SIGTERM (128 + 2, the shell's convention for SIGINT). */
export const EXIT_INTERRUPTED = 130;

/**
 * The CLI: finds the command in the table (registered-commands.ts), parses
 * its arguments against its flags, prints its generated help for `-h` or
 * `--help`, or runs it. Returns the exit code.
 */
export async function main(argv: string[], ctx: CliContext): Promise<number> {
  const [name, ...rest] = argv;
  try {
    switch (name) {
      case undefined:
      case '-h':
      case '--help':
      case 'help':
        ctx.stdout.write(`${mainHelp(COMMANDS)}\n`);
        return name === undefined ? EXIT_BAD_INPUT : 0;
      case '--version':
      case '-v':
        ctx.stdout.write(`${packageVersion()}\n`);
        return 0;
    }
    const command = COMMANDS.find((c) => c.name === name);
    if (!command) throw new InputError('command', `unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')}); see --help`);
    const parsed = parseCommand(command, rest);
    if (parsed.help) {
      ctx.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    return await command.run(parsed, ctx);
  } catch (e) {
    return reportError(withAllowedRange(e, COMMANDS.find((c) => c.name === name)), ctx);
  }
}

/**
 * An error against a number flag that does not say what the flag allows
 * (`--duration: must be a multiple of dt = 0.1 ms (got 0.25; ...)`, raised by
 * the time-to-steps rule) gets the flag's range from the table appended.
 */
export function withAllowedRange(e: unknown, command: AnyCommand | undefined): unknown {
  if (!(e instanceof InputError) || !command || !e.field.startsWith('--')) return e;
  const flag = command.flags[e.field.slice(2)];
  if (flag?.type !== 'number' || / in [[(]/.test(e.message)) return e;
  return new InputError(e.field, `${e.message.slice(e.field.length + 2)}; allowed: ${rangeText(flag)}`, e.code);
}

/**
 * Turns an error that reached the top into a message and an exit code.
 * Bad input (InputError): exit 2 with the field. Work interrupted before it
 * had anything to print (InterruptedError, e.g. Ctrl-C during the network
 * build): exit 130 with what was stopped. A system error (a file that
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
  if (e instanceof InterruptedError) {
    ctx.stderr.write(`neurochaos: ${e.message}\n`);
    return EXIT_INTERRUPTED;
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

export { SIMULATE_HELP } from './simulate-command.js';
