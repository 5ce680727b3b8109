import { defaultOf, rangeText, textOf, type AnyCommand, type FlagSpec } from './command-table.js';

/** Width of help text, in columns. */
const WIDTH = 100;

/** Words of `text` filled into lines of at most `width` columns, each after `indent` spaces (explicit newlines kept). */
export function wrap(text: string, width: number, indent: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    for (const word of paragraph.split(/ +/).filter(Boolean)) {
      if (line && line.length + 1 + word.length > width - indent) {
        lines.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(line);
  }
  return lines;
}

/** `--time-scale X`, `-h, --help`: a flag as usage lines write it. */
export function flagSyntax(name: string, f: Pick<FlagSpec, 'short' | 'value' | 'type'>): string {
  const value = f.type === 'boolean' ? '' : ` ${f.value ?? (f.type === 'number' ? 'N' : 'VALUE')}`;
  return `${f.short ? `-${f.short}, ` : ''}--${name}${value}`;
}

/**
 * A flag's description with what the table knows about its values appended:
 * the choices, the allowed range, the default. The same sentence goes into
 * help and the reference.
 */
export function flagSentence(f: FlagSpec): string {
  const parts: string[] = [];
  if (f.type === 'choice' && !f.values) parts.push(`one of ${f.choices.join(', ')}`);
  if (f.type === 'number') parts.push(rangeText(f));
  const d = defaultOf(f);
  if (d !== undefined) parts.push(`default ${d}`);
  const text = textOf(f.description).trim();
  return parts.length ? `${text} (${parts.join('; ')})` : text;
}

/** Rows of named values under a flag, padded so the meanings line up (not wrapped: one row per value). */
export function valueRows(f: FlagSpec): string[] {
  const rows = f.values?.() ?? [];
  const width = Math.max(0, ...rows.map(([v]) => v.length)) + 2;
  return rows.map(([v, meaning]) => `${v.padEnd(width)}${meaning}`);
}

/** The usage line of a command: `neurochaos run FILE|NAME... [options]`. */
export function usageOf(c: AnyCommand): string {
  const hasOptions = Object.keys(c.flags).length > 0;
  return `neurochaos ${c.name}${c.args ? ` ${c.args.syntax}` : ''}${hasOptions ? ' [options]' : ''}`;
}

/** `neurochaos COMMAND --help`: usage, description, every flag (from the table), exit codes, notes. */
export function commandHelp(c: AnyCommand): string {
  const flags: [string, FlagSpec | null][] = [...Object.entries(c.flags), ['help', null]];
  const syntax = flags.map(([n, f]) => (f ? flagSyntax(n, f) : '-h, --help'));
  const column = Math.min(26, Math.max(...syntax.map((s) => s.length)) + 2);
  const lines = [`Usage: ${usageOf(c)}`, '', ...wrap(textOf(c.description), WIDTH, 0), '', 'Options:'];
  flags.forEach(([, f], i) => {
    const head = `  ${syntax[i]}`;
    const text = wrap(f ? flagSentence(f) : 'this help', WIDTH, column + 2);
    const pad = ' '.repeat(column + 2);
    if (head.length + 1 > column + 2) lines.push(head, ...text.map((t) => pad + t));
    else lines.push(head.padEnd(column + 2) + text[0], ...text.slice(1).map((t) => pad + t));
    if (f) lines.push(...valueRows(f).map((r) => `${pad}  ${r}`));
  });
  if (c.exitCodes) lines.push('', ...wrap(`Exit codes: ${textOf(c.exitCodes)}`, WIDTH, 0));
  if (c.notes) lines.push('', ...wrap(textOf(c.notes), WIDTH, 0));
  return lines.join('\n');
}

/** `neurochaos --help`: the commands of the table with their summaries. */
export function mainHelp(commands: readonly AnyCommand[]): string {
  const heads = commands.map((c) => `${c.name}${c.args ? ` ${c.args.syntax}` : ''}`);
  const column = Math.max(...heads.map((h) => h.length)) + 2;
  return [
    'Usage: neurochaos <command> [options]',
    '',
    'Chaos engineering for spiking cortical-column simulations.',
    '',
    'Commands:',
    ...commands.map((c, i) => `  ${heads[i].padEnd(column)}${c.summary}`),
    '',
    "Run 'neurochaos <command> --help' for a command's options.",
    '',
    `Exit codes: ${MAIN_EXIT_CODES}`,
    `${MAIN_NOTES}`,
  ].join('\n');
}

/** Exit codes every command shares (a command's help says what 0 and 1 mean for it). */
export const MAIN_EXIT_CODES = '0 success, 1 failure, 2 bad input (flag, scenario or model file), 130 interrupted.';
export const MAIN_NOTES = 'NEUROCHAOS_DEBUG=1 prints the stack trace of an unexpected error.';
