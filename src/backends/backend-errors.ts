import { InputError } from '../util/errors.js';

/** The one message every backend gives when used after dispose(). */
export const BACKEND_DISPOSED_MESSAGE = 'was disposed: its threads and memory are released; create a new backend to simulate again';

/**
 * What every backend throws when run, read or written after dispose(): an
 * InputError on the field `backend` (the CLI's exit 2: a caller's mistake,
 * not a simulation failure), with the same message on every backend.
 */
export function backendDisposedError(): InputError {
  return new InputError('backend', BACKEND_DISPOSED_MESSAGE);
}
