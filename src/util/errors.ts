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
  if (!cond) throw new InputError(field, message());
}
