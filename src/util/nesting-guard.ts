import { InputError } from './errors.js';

/** Deeper than any scenario or model needs, far below where the YAML parser overflows its stack (about 900 levels). */
export const MAX_FLOW_NESTING = 64;
export const MAX_BLOCK_INDENT = 512;

/**
 * Refuses YAML or JSON text nested deeper than an input file can sensibly
 * be, before a parser sees it: a parser that overflows its stack on
 * `[[[[...` can take the process down with it (V8 aborts when a regular
 * expression is compiled on an exhausted stack in the error path). Counts
 * flow brackets outside quoted strings and comments, and per line the
 * indentation plus compact `- ` indicators (a bound on block depth).
 */
export function checkNesting(text: string, field: string, what: string): void {
  let depth = 0;
  let quote: string | null = null;
  let lineStart = true;
  let indent = 0;
  // Last non-blank character outside quotes on this line: a quote opens a string only where a scalar can start (`key: don't` holds none).
  let prev = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      if (quote === null) prev = '';
      continue;
    }
    if (lineStart) {
      if (c === ' ' || c === '\t' || ((c === '-' || c === '?') && (text[i + 1] === ' ' || text[i + 1] === '\t'))) {
        if (++indent > MAX_BLOCK_INDENT) throw new InputError(field, `${what} is nested deeper than ${MAX_BLOCK_INDENT} levels of indentation (line ${lineOf(text, i)})`);
        continue;
      }
      lineStart = false;
    }
    if (quote !== null) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
      continue;
    }
    if ((c === '"' || c === "'") && (prev === '' || ':[{,-?'.includes(prev))) quote = c;
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) while (i + 1 < text.length && text[i + 1] !== '\n') i++;
    else if (c === '[' || c === '{') {
      if (++depth > MAX_FLOW_NESTING) throw new InputError(field, `${what} nests brackets deeper than ${MAX_FLOW_NESTING} levels (line ${lineOf(text, i)})`);
    } else if ((c === ']' || c === '}') && depth > 0) depth--;
    if (quote === null && c !== ' ' && c !== '\t') prev = c;
  }
}

function lineOf(text: string, at: number): number {
  let n = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}
