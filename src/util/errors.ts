/**
 * Errors a user can act on, and the catalogue of their stable codes.
 *
 * `InputError` is bad input (a flag, a model file, an API argument): the CLI
 * maps it, and every error below that extends it, to exit code 2. Each error
 * carries a `code` from ERROR_CODES that programs can switch on; messages may
 * be reworded, codes may not. Build the catalogued errors through the
 * factories here (unknownBackend, unsupported, usedAfterDispose, ...) so the
 * same situation reads the same everywhere.
 */
export const ERROR_CODES = {
  /** A value outside its allowed range or of the wrong type (the default). */
  'bad-input': 'a value outside its allowed range or of the wrong type',
  /** A backend name that is not registered. */
  'unknown-backend': 'a backend name that is not registered',
  /** A registered backend that cannot run on this machine (a package or device is missing). */
  'backend-unavailable': 'a registered backend that cannot run here',
  /** Something the chosen backend cannot do (a fault kind, a capability). */
  unsupported: 'a capability the chosen backend does not have',
  /** A backend used after dispose(). */
  'used-after-dispose': 'a backend used after dispose()',
  /** A backend whose asynchronous preparation (prepareBackend) has not run. */
  'backend-not-prepared': 'a backend created before prepareBackend() loaded it',
} as const;
export type ErrorCode = keyof typeof ERROR_CODES;

export class InputError extends Error {
  override readonly name: string = 'InputError';
  /** Dotted path of the offending field, e.g. `populations[2].size` or `--scale`. */
  readonly field: string;
  /** Stable code of the error (see ERROR_CODES). */
  readonly code: ErrorCode;

  constructor(field: string, message: string, code: ErrorCode = 'bad-input') {
    super(`${field}: ${message}`);
    this.field = field;
    this.code = code;
  }

  /** The same error reported against another field (a CLI flag instead of an option name), code kept. */
  withField(field: string): InputError {
    return new InputError(field, this.message.slice(this.field.length + 2), this.code);
  }
}

/**
 * Work stopped by an aborted signal (Ctrl-C at the CLI) before it produced
 * anything to report, e.g. during the network build (buildNetworkAsync).
 * The CLI reports its message and exits with 130, as for any interrupt.
 */
export class InterruptedError extends Error {
  override readonly name: string = 'InterruptedError';

  /**
   * @param phase what was interrupted, e.g. `build`
   * @param message what the user is told
   * @param options.cause the aborted signal's reason (AbortSignal.reason), so a timeout can be told from a cancel
   */
  constructor(
    readonly phase: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * "Not supported on this backend": the backend, the capability it lacks and
 * why. The shared test suites report it as a skip, with its message as the
 * reason; the CLI as bad input (exit 2).
 */
export class UnsupportedError extends InputError {
  override readonly name: string = 'UnsupportedError';
  /** Name of the backend, e.g. `tfjs`. */
  readonly backend: string;
  /** The capability or fault kind it lacks, e.g. `partition` or `shard-supervision`. */
  readonly capability: string;
  /** Why, in a phrase a user can act on. */
  readonly reason: string;

  constructor(field: string, backend: string, capability: string, reason: string) {
    super(field, `${capability} is not supported on the ${backend} backend: ${reason}`, 'unsupported');
    this.backend = backend;
    this.capability = capability;
    this.reason = reason;
  }

  override withField(field: string): UnsupportedError {
    return new UnsupportedError(field, this.backend, this.capability, this.reason);
  }
}

/** A backend name that is not registered: names what was given and every registered name. */
export function unknownBackend(name: unknown, registered: readonly string[], field = 'backend'): InputError {
  return new InputError(field, `unknown backend "${shown(name)}" (available: ${registered.join(', ')})`, 'unknown-backend');
}

/** A registered backend that cannot run here, with why and what would fix it. */
export function backendUnavailable(name: string, reason: string, field = 'backend'): InputError {
  return new InputError(field, `${name} is not available here: ${reason}`, 'backend-unavailable');
}

/** The backend lacks `capability` (a fault kind or a capability name). */
export function unsupported(backend: string, capability: string, reason: string, field = 'fault.kind'): UnsupportedError {
  return new UnsupportedError(field, backend, capability, reason);
}

/** The one message for any call on a disposed backend. */
export function usedAfterDispose(backend: string): InputError {
  return new InputError('backend', `the ${backend} backend was used after dispose(): create a new one`, 'used-after-dispose');
}

/** A backend whose loading is asynchronous was created before prepareBackend(). */
export function backendNotPrepared(name: string): InputError {
  return new InputError('backend', `${name} is not loaded yet: await prepareBackend(choice) before createBackend`, 'backend-not-prepared');
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
