import { BACKENDS, DEFAULT_BACKEND } from '../backends/registered-backends.js';
import { MAX_WORKERS } from '../config/settings.js';
import { autoSummary } from './backend-help.js';
import type { BooleanFlag, NumberFlag, StringFlag } from './command-table.js';

/**
 * Flags several commands share, declared once so that they mean and accept
 * the same everywhere. A command may spread one and override a field
 * (`{ ...backendFlag, defaultText: "the scenario's backend, else workers" }`).
 */

/** Every registered backend with its summary, then auto (from the registry: a new backend needs no line here). */
export function backendValues(): [string, string][] {
  return [...BACKENDS.list().map((d): [string, string] => [d.name, d.summary]), ['auto', autoSummary()]];
}

export const backendFlag = {
  type: 'string',
  value: 'NAME',
  description: 'the backend that simulates the network: a registered backend or auto',
  defaultText: DEFAULT_BACKEND,
  values: backendValues,
  check: (v: string, flag: string) => BACKENDS.checkChoice(v, flag),
} as const satisfies StringFlag;

export const workersFlag = {
  type: 'number',
  value: 'W',
  integer: true,
  min: 1,
  max: MAX_WORKERS,
  description: 'worker threads of the workers backend',
  defaultText: 'the number of cores; other backends: 1',
} as const satisfies NumberFlag;

export const seedFlag = {
  type: 'number',
  value: 'N',
  integer: true,
  min: 0,
  max: 4294967295,
  description: 'seed of construction and per-step randomness',
} as const satisfies NumberFlag;

export const jsonFlag = { type: 'boolean', description: 'print one JSON document on stdout instead of text' } as const satisfies BooleanFlag;
