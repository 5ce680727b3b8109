import { InputError } from './errors.js';

/**
 * Collects the InputErrors of checks that do not depend on each other, so
 * that a user sees every bad field of a file at once rather than one per
 * attempt. Anything that is not an InputError (a bug, an I/O error) is
 * thrown at once.
 */
export class InputErrors {
  private readonly errors: InputError[] = [];

  /** Runs `check`; an InputError it throws is kept, anything else rethrown. */
  check<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      this.errors.push(e);
      return undefined;
    }
  }

  get count(): number {
    return this.errors.length;
  }

  /**
   * Throws what was collected: nothing when none, the error itself when one
   * (its class and code kept), else one InputError with the first field
   * whose message lists every error on its own line
   * (`experiments[0].fault.kind: ...\n  experiments[2].observationMs: ...`),
   * the format the scenario schema's errors use.
   */
  throwIfAny(): void {
    if (this.errors.length === 0) return;
    if (this.errors.length === 1) throw this.errors[0];
    const [first, ...rest] = this.errors;
    const text = first.message.slice(first.field.length + 2);
    throw new InputError(first.field, `${text}${rest.map((e) => `\n  ${e.message}`).join('')}`, first.code);
  }
}
