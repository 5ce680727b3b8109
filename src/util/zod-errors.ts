import { z } from 'zod';
import { InputError } from './errors.js';

/** A finite number in [min, max] whose error names the range. */
export function boundedNumber(min: number, max: number, opts: { integer?: boolean; exclusiveMin?: boolean } = {}) {
  const what = opts.integer ? 'an integer' : 'a number';
  const range = `${opts.exclusiveMin ? '(' : '['}${min}, ${max}]`;
  const msg = `must be ${what} in ${range}`;
  let schema = z.number({ invalid_type_error: msg, required_error: `is required (${what} in ${range})` }).finite({ message: msg });
  if (opts.integer) schema = schema.int({ message: msg });
  schema = opts.exclusiveMin ? schema.gt(min, { message: msg }) : schema.gte(min, { message: msg });
  return schema.lte(max, { message: msg });
}

/** Formats a zod error as one InputError naming the first offending field. */
export function toInputError(error: z.ZodError, root: string, input: unknown): InputError {
  const all = error.issues.map((issue) => {
    const field = formatPath(root, issue.path);
    const got = valueAt(input, issue.path);
    const gotText = got === undefined ? '' : ` (got ${describe(got)})`;
    return { field, text: `${issue.message}${gotText}` };
  });
  // One bad value can fail several checks with the same message (Infinity fails both finite() and lte()): say it once.
  const lines = all.filter((l, i) => all.findIndex((m) => m.field === l.field && m.text === l.text) === i).slice(0, 5);
  const first = lines[0] ?? { field: root, text: 'invalid' };
  const rest = lines.slice(1).map((l) => `\n  ${l.field}: ${l.text}`).join('');
  const distinct = all.filter((l, i) => all.findIndex((m) => m.field === l.field && m.text === l.text) === i).length;
  const more = distinct > 5 ? `\n  ...and ${distinct - 5} more` : '';
  return new InputError(first.field, `${first.text}${rest}${more}`);
}

function formatPath(root: string, path: (string | number)[]): string {
  let out = root;
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(root)';
}

function valueAt(input: unknown, path: (string | number)[]): unknown {
  let cur: unknown = input;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return typeof v;
}
