import { check, shownJson } from '../util/errors.js';

/**
 * The arithmetic of the CPU engines' LIF update (SimulationOptions.precision):
 * `float64` computes each update in float64 and rounds once where a value is
 * stored (the reference: bit-identical to every earlier release, as NEST
 * computes in double); `float32` rounds every operation to float32 (like
 * Brian2's `prefs.core.default_float_dtype = float32` and GeNN's model
 * precision), which the wasm kernels run four neurons per f32x4 instead of
 * two per f64x2 (docs/performance.md, "Single precision"). The state is
 * float32 in both.
 */
export const PRECISIONS = ['float64', 'float32'] as const;
export type Precision = (typeof PRECISIONS)[number];
export const DEFAULT_PRECISION: Precision = 'float64';

/**
 * The precision asked for (undefined: DEFAULT_PRECISION).
 * @throws InputError on field `field` naming the allowed values, for anything else
 */
export function resolvePrecision(value: unknown, field = 'precision'): Precision {
  if (value === undefined) return DEFAULT_PRECISION;
  check((PRECISIONS as readonly unknown[]).includes(value), field, () => `must be one of ${PRECISIONS.map((p) => `'${p}'`).join(', ')} (got ${shownJson(value)})`);
  return value as Precision;
}

/**
 * Refuses a precision a backend does not compute in (BackendShell, from the
 * backend's ShellLayout.precisions).
 * @param supported the precisions the backend takes
 * @param why why it takes no other, for the message
 * @throws InputError on `precision` naming the backend, the values it takes and why
 */
export function checkPrecisionSupported(precision: Precision, backend: string, supported: readonly Precision[], why = ''): void {
  check(supported.includes(precision), 'precision', () => `the ${backend} backend takes ${supported.map((p) => `'${p}'`).join(' or ')} (got '${precision}')${why === '' ? '' : `: ${why}`}`);
}
