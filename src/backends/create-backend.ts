import { ownedNetwork } from '../model/lent-network.js';
import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import { BACKENDS, DEFAULT_BACKEND } from './registered-backends.js';
import type { BackendChoice, CreatedBackend } from './registry.js';

export type { BackendChoice, CreatedBackend } from './registry.js';
export { BACKENDS, DEFAULT_BACKEND, REFERENCE_BACKEND } from './registered-backends.js';

/** Every name `--backend`, scenarios and createBackend accept: the registered backends, then `auto` (registered-backends.ts). */
export const BACKEND_NAMES: readonly [string, ...string[]] = BACKENDS.choices();
export type BackendName = string;

/**
 * The asynchronous half of backend creation: resolves `auto` (the
 * registered backend of highest auto priority that is suited here: tfjs on
 * a CUDA device, else workers) and runs the backend's own preparation
 * (tfjs: loading TensorFlow.js), so that createBackend (synchronous) can
 * build it. Returns the choice with a registered backend name and, when
 * there is one, the reason for it.
 *
 * @throws InputError code `unknown-backend` for a name that is not registered (the message lists the registered names); `backend-unavailable` when a named backend cannot load here.
 */
export async function prepareBackend<T extends BackendChoice>(choice: T): Promise<T & { selection?: string }> {
  let name = choice.backend ?? DEFAULT_BACKEND;
  let selection: string | undefined;
  if (name === 'auto') {
    ({ name, selection } = await BACKENDS.resolveAuto());
  }
  const selected = await BACKENDS.get(name).prepare?.(choice);
  selection ??= selected;
  return selection === undefined && name === choice.backend ? choice : { ...choice, backend: name, ...(selection === undefined ? {} : { selection }) };
}

/**
 * Builds the chosen backend (default `workers`) over `network`. A network
 * whose connectivity is lent (model/lent-network.ts) is copied first unless
 * the backend says it copies it itself (`acceptsLentNetwork`).
 *
 * @throws InputError code `unknown-backend` naming every registered backend; `backend-not-prepared` for a backend whose prepareBackend has not run (tfjs); `bad-input` for options outside a backend's limits.
 */
export function createBackend(network: Network, choice: BackendChoice = {}): CreatedBackend {
  const name = choice.backend ?? DEFAULT_BACKEND;
  if (name === 'auto') throw new InputError('backend', 'auto is resolved by prepareBackend(choice) before createBackend');
  const descriptor = BACKENDS.get(name);
  // A backend writes its connectivity (weight faults, the scrubber): a lent network's belongs to its lender.
  return descriptor.create(descriptor.acceptsLentNetwork === true ? network : ownedNetwork(network), choice);
}
