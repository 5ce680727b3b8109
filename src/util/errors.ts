/**
 * Errors a user can act on. `InputError` is bad input (a flag, a model file,
 * an API argument): the CLI maps it to exit code 2.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** Dotted path of the offending field, e.g. `populations[2].size` or `--scale`. */
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }
}

/** Throws an InputError; the message is built only when the check fails. */
export function check(cond: boolean, field: string, message: () => string): asserts cond {
  if (!cond) throw new InputError(field, safeMessage(message));
}

/** A message that quotes a hostile value (an object whose toString is not a function) must not turn into a TypeError. */
function safeMessage(message: () => string): string {
  try {
    return message();
  } catch {
    return 'has a value of the wrong type (not even printable)';
  }
}

/** A value as an error message may quote it, whatever it is (a hostile object may refuse to become a string). */
export function shown(value: unknown): string {
  try {
    return typeof value === 'string' ? value : String(value);
  } catch {
    return `a ${typeof value} that cannot be printed`;
  }
}

/** JSON of a value for an error message; what JSON cannot hold (a BigInt, a cycle) is shown as text instead. */
export function shownJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? shown(value);
  } catch {
    return shown(value);
  }
}
