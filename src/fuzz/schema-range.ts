import fc from 'fast-check';
import { z } from 'zod';

/** The bounds a zod number schema accepts (through optional and default wrappers). */
export interface NumberRange {
  min: number;
  max: number;
  integer: boolean;
  exclusiveMin: boolean;
}

/**
 * Reads the range a validator enforces, so arbitraries draw from exactly the
 * ranges the schemas accept and cannot drift from them.
 */
export function rangeOf(schema: z.ZodTypeAny): NumberRange {
  let s: z.ZodTypeAny = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s._def.innerType as z.ZodTypeAny;
  if (!(s instanceof z.ZodNumber)) throw new TypeError(`rangeOf: not a number schema (${s.constructor.name})`);
  let min = -Infinity;
  let max = Infinity;
  let exclusiveMin = false;
  for (const c of s._def.checks) {
    if (c.kind === 'min') {
      min = c.value;
      exclusiveMin = !c.inclusive;
    }
    if (c.kind === 'max') max = c.value;
  }
  return { min, max, integer: s.isInt, exclusiveMin };
}

/** A value the schema accepts, optionally capped below its own maximum (to keep a test short). */
export function numberFrom(schema: z.ZodTypeAny, cap = Infinity, floor = -Infinity): fc.Arbitrary<number> {
  const r = rangeOf(schema);
  const max = Math.min(r.max, cap);
  const min = Math.max(r.min, floor);
  if (r.integer) return fc.integer({ min: Math.ceil(r.exclusiveMin && min === r.min ? min + 1 : min), max: Math.floor(max) });
  return fc.double({ min, max, minExcluded: r.exclusiveMin && min === r.min, noNaN: true, noDefaultInfinity: true });
}
