import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../util/errors.js';

/** API field names as the CLI spells them, so an error from the library names the flag the user typed. */
const FLAG_OF_FIELD: Record<string, string> = {
  model: '--model',
  scale: '--scale',
  kScale: '--k-scale',
  background: '--background',
  durationMs: '--duration',
  warmupMs: '--warmup',
  dtMs: '--dt',
  seed: '--seed',
  backend: '--backend',
  workers: '--workers',
  batch: '--batch',
  precision: '--precision',
  deliveryOrder: '--delivery-order',
  restoreFrom: '--restore',
  checkpoint: '--restore',
  timeScale: '--time-scale',
  saveCheckpoint: '--save-checkpoint',
  checkpointEverySteps: '--checkpoint-every',
  checkpointIntervalMs: '--checkpoint-interval',
  'recording.path': '--record',
  recording: '--record',
};

/** Re-labels an InputError raised by the library with the CLI flag it came from. */
export function asFlagError(e: unknown): unknown {
  // The error's code (and, for an UnsupportedError, its backend and capability) survive the re-labelling.
  if (e instanceof InputError && Object.hasOwn(FLAG_OF_FIELD, e.field)) return e.withField(FLAG_OF_FIELD[e.field]);
  return e;
}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with every failure turned into an InputError that names the flag. */
export interface ParsedFlags<T extends FlagSpec> {
  values: { [K in keyof T]?: T[K]['type'] extends 'boolean' ? boolean : string };
  positionals: string[];
}

export function parseFlags<T extends FlagSpec>(argv: string[], options: T, allowPositionals = 0): ParsedFlags<T> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (e) {
    const msg = (e as Error).message;
    const flag = /'(--?[\w-]+)/.exec(msg)?.[1] ?? 'arguments';
    const text = msg.replace(/\. To specify a positional argument.*$/s, '').replace(/\n/g, ' ').replace(/\.$/, '');
    throw new InputError(flag, `${text}; see --help`);
  }
  if (parsed.positionals.length > allowPositionals) {
    throw new InputError('arguments', `unexpected argument "${parsed.positionals[allowPositionals]}"; see --help`);
  }
  return parsed as unknown as ParsedFlags<T>;
}

/** A number flag: the whole string must be a finite number in [min, max]. */
export function numberFlag(value: string | undefined, flag: string, min: number, max: number, opts: { integer?: boolean; exclusiveMin?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const what = opts.integer ? 'an integer' : 'a number';
  const range = `${opts.exclusiveMin ? '(' : '['}${min}, ${max}]`;
  const n = value.trim() === '' ? NaN : Number(value);
  const ok = Number.isFinite(n) && (opts.exclusiveMin ? n > min : n >= min) && n <= max && (!opts.integer || Number.isInteger(n));
  if (!ok) throw new InputError(flag, `must be ${what} in ${range} (got "${value}")`);
  return n;
}

export function choiceFlag<T extends string>(value: string | undefined, flag: string, choices: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(choices as readonly string[]).includes(value)) throw new InputError(flag, `must be one of ${choices.join(', ')} (got "${value}")`);
  return value as T;
}
