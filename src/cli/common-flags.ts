import { BACKENDS, DEFAULT_BACKEND } from '../backends/registered-backends.js';
import { MAX_WORKERS } from '../config/settings.js';
import { PRECISIONS } from '../backends/precision.js';
import { autoSummary } from './backend-help.js';
import type { BooleanFlag, ChoiceFlag, NumberFlag, StringFlag } from './command-table.js';

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

/** SimulationOptions.precision: the LIF update's arithmetic (src/backends/precision.ts). */
export const precisionFlag = {
  type: 'choice',
  value: 'P',
  choices: PRECISIONS,
  description: "arithmetic of the LIF update on cpu and workers: float64 (each update in double, rounded once when stored: the reference, bit-identical to earlier releases) or float32 (every operation in single precision, as Brian2's and GeNN's float32 modes; about 2x faster per update); gpujs refuses float32, webgpu and tfjs compute in float32 per op whatever is asked. See docs/performance.md, Single precision",
  defaultText: 'float64',
} as const satisfies ChoiceFlag;

export const jsonFlag = { type: 'boolean', description: 'print one JSON document on stdout instead of text' } as const satisfies BooleanFlag;
