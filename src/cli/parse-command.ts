import type { AnyCommand, FlagSpec, FlagTable, FlagValues, ParsedCommand } from './command-table.js';
import { choiceFlag, numberFlag, parseFlags, type FlagSpec as ParseArgsSpec } from './parse-flags.js';

/** The util.parseArgs options of a command's table, `--help`/`-h` included. */
function parseArgsOptions(flags: FlagTable): ParseArgsSpec {
  const options: ParseArgsSpec = { help: { type: 'boolean', short: 'h' } };
  for (const [name, f] of Object.entries(flags)) options[name] = f.short ? { type: f.type === 'boolean' ? 'boolean' : 'string', short: f.short } : { type: f.type === 'boolean' ? 'boolean' : 'string' };
  return options;
}

/** One flag's raw string (or boolean) as its table entry types it; InputErrors name `--name` and the allowed range. */
function convert(name: string, f: FlagSpec, raw: string | boolean | undefined): unknown {
  const flag = `--${name}`;
  switch (f.type) {
    case 'boolean':
      return raw === true;
    case 'number':
      return numberFlag(raw as string | undefined, flag, f.min, f.max, { integer: f.integer, exclusiveMin: f.exclusiveMin }) ?? f.default;
    case 'choice':
      return choiceFlag(raw as string | undefined, flag, f.choices) ?? f.default;
    case 'string':
      if (raw === undefined) return f.default;
      return f.check ? f.check(raw as string, flag) : raw;
  }
}

export type ParseResult<T extends FlagTable> = { help: true } | ({ help: false } & ParsedCommand<T>);

/**
 * Parses a command's arguments against its table with Node's util.parseArgs
 * (strict: an unknown flag or a missing value is an InputError naming it).
 * `--help` wins over everything else on the line, as before: a bad value
 * beside it is not checked. Values are then typed and range-checked in
 * table order; more positionals than `args.max` are refused.
 */
export function parseCommand<T extends FlagTable>(spec: { flags: T; args?: AnyCommand['args'] }, argv: string[]): ParseResult<T> {
  const { values, positionals } = parseFlags(argv, parseArgsOptions(spec.flags), spec.args?.max ?? 0);
  if (values.help) return { help: true };
  const flags: Record<string, unknown> = {};
  for (const [name, f] of Object.entries(spec.flags)) flags[name] = convert(name, f, values[name] as string | boolean | undefined);
  return { help: false, flags: flags as FlagValues<T>, args: positionals };
}

