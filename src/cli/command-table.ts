import type { CliContext } from './context.js';

/**
 * The CLI's declarative command table: each command states its arguments and
 * flags (type, default, allowed range, description) once, and parsing
 * (`parse-command.ts`), every command's `--help` (`help-text.ts`) and the
 * committed CLI reference `docs/cli.md` (`cli-reference.ts`, written by
 * `npm run docs`) are all derived from it, so they cannot drift apart.
 *
 * A command is one `defineCommand({...})` in its own file plus one line in
 * `registered-commands.ts`.
 */

/** Text that may depend on a registry (backends, fault kinds): computed when help or the reference is rendered. */
export type Text = string | (() => string);

interface FlagCommon {
  /** What the flag does, one or more sentences (help wraps it; the reference prints it in a table cell). */
  description: Text;
  /** Placeholder of the value in usage lines (`DIR`, `MS`); flags of type boolean take none. */
  value?: string;
  /** One-letter alias (`-h`). */
  short?: string;
  /**
   * The default in words, where it is applied elsewhere than the parser (the
   * library's options, the scenario): `'the number of cores'`. Shown in help
   * and the reference; a flag with `default` shows that value instead.
   */
  defaultText?: Text;
  /** Named values the flag takes with what each means (`--backend`'s registry rows): [value, meaning]. */
  values?: () => [string, string][];
}

export interface StringFlag extends FlagCommon {
  type: 'string';
  default?: string;
  /** Checks (and may normalise) the value; throws an InputError naming `flag`. */
  check?: (value: string, flag: string) => string;
}

export interface NumberFlag extends FlagCommon {
  type: 'number';
  min: number;
  max: number;
  integer?: boolean;
  /** The lower bound itself is refused: (min, max]. */
  exclusiveMin?: boolean;
  default?: number;
  /** Unit printed after the range in help and the reference (`ms`, `Hz`). */
  unit?: string;
}

export interface ChoiceFlag<C extends string = string> extends FlagCommon {
  type: 'choice';
  choices: readonly C[];
  default?: C;
}

export interface BooleanFlag extends FlagCommon {
  type: 'boolean';
}

export type FlagSpec = StringFlag | NumberFlag | ChoiceFlag | BooleanFlag;

/** Flags by their long name without the dashes (`'time-scale'`). */
export type FlagTable = Record<string, FlagSpec>;

type ValueOf<F> = F extends BooleanFlag ? boolean : F extends NumberFlag ? number : F extends ChoiceFlag<infer C> ? C : string;

/** Parsed flag values: a flag with a `default` (and every boolean) is always set; others may be undefined. */
export type FlagValues<T extends FlagTable> = {
  [K in keyof T]: T[K] extends BooleanFlag ? boolean : T[K] extends { default: unknown } ? ValueOf<T[K]> : ValueOf<T[K]> | undefined;
};

export interface ParsedCommand<T extends FlagTable> {
  flags: FlagValues<T>;
  /** The positional arguments, at most `args.max` (checked by the parser). */
  args: string[];
}

export interface CommandSpec<T extends FlagTable = FlagTable> {
  /** `neurochaos NAME`. */
  name: string;
  /** One line for the command list of `neurochaos --help` and the reference. */
  summary: string;
  /** Positional arguments: their syntax in usage lines (`FILE|NAME...`) and how many are allowed. */
  args?: { syntax: string; max: number };
  /** Paragraphs after the usage line (blank-line separated). */
  description: Text;
  flags: T;
  /** Exit codes in words, after the options. */
  exitCodes?: Text;
  /** A closing paragraph (signals, environment). */
  notes?: Text;
  /** Runs the command with its parsed arguments; returns the exit code. */
  run(parsed: ParsedCommand<T>, ctx: CliContext): number | Promise<number>;
}

/**
 * A command of the table. The `const` type parameter keeps each flag's
 * literal type, so `run` receives typed values: numbers as numbers, a choice
 * as the union of its choices.
 */
export function defineCommand<const T extends FlagTable>(spec: CommandSpec<T>): CommandSpec<T> {
  for (const [name, f] of Object.entries(spec.flags)) {
    if (name === 'help') throw new Error(`${spec.name}: --help is added to every command; do not declare it`);
    if (f.type === 'number' && !(f.min <= f.max)) throw new Error(`${spec.name} --${name}: min above max`);
  }
  return spec;
}

/** A command of the table with its flag types erased (what the registry and the renderers hold). */
export type AnyCommand = CommandSpec<FlagTable>;

export const textOf = (t: Text | undefined): string => (typeof t === 'function' ? t() : t ?? '');

/** A number flag's allowed values in words: `an integer in [1, 256]`, `a number in (0, 100]`. */
export function rangeText(f: NumberFlag): string {
  return `${f.integer ? 'an integer' : 'a number'} in ${f.exclusiveMin ? '(' : '['}${f.min}, ${f.max}]${f.unit ? ` ${f.unit}` : ''}`;
}

/** The default shown for a flag, or undefined when it has none worth saying. */
export function defaultOf(f: FlagSpec): string | undefined {
  if ('default' in f && f.default !== undefined) return String(f.default);
  return f.defaultText === undefined ? undefined : textOf(f.defaultText);
}
