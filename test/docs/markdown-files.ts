import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** README.md and every docs/**\/*.md, as [path relative to the repository, text]. */
export function markdownFiles(): [string, string][] {
  const files = [join(ROOT, 'README.md')];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) files.push(join(dir, e.name));
    }
  };
  if (existsSync(join(ROOT, 'docs'))) walk(join(ROOT, 'docs'));
  return files.map((f) => [relative(ROOT, f), readFileSync(f, 'utf8')]);
}

/** The fenced blocks of a markdown text in `lang` (`yaml`), with the line each opens on. */
export function fencedBlocks(text: string, lang: string): { line: number; code: string }[] {
  const lines = text.split('\n');
  const out: { line: number; code: string }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() !== `\`\`\`${lang}`) continue;
    const end = lines.indexOf('```', i + 1);
    if (end < 0) break;
    out.push({ line: i + 1, code: lines.slice(i + 1, end).join('\n') });
    i = end;
  }
  return out;
}
