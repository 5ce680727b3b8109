import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

/**
 * A TypeScript or JavaScript block of the documentation. Every block is
 * type-checked; it runs unless the line before its fence says otherwise:
 * `<!-- doc-test: compile-only: REASON -->` (it needs the reader's own files)
 * or `<!-- doc-test: slow: REASON -->` (it runs only with NEUROCHAOS_HEAVY=1).
 */
interface DocBlock {
  name: string;
  code: string;
  lang: 'ts' | 'js';
  mode: 'run' | 'slow' | 'compile-only';
  reason: string;
}

const HEAVY = process.env.NEUROCHAOS_HEAVY === '1';

function markdownFiles(): string[] {
  const files = [join(ROOT, 'README.md')];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.md')) files.push(join(dir, e.name));
    }
  };
  if (existsSync(join(ROOT, 'docs'))) walk(join(ROOT, 'docs'));
  return files;
}

function docBlocks(): DocBlock[] {
  const blocks: DocBlock[] = [];
  for (const file of markdownFiles()) {
    const lines = readFileSync(file, 'utf8').split('\n');
    for (let i = 0; i < lines.length; i++) {
      const open = /^```(ts|typescript|js|javascript)\s*$/.exec(lines[i]);
      if (!open) continue;
      const end = lines.indexOf('```', i + 1);
      assert.ok(end > i, `${file}:${i + 1}: unclosed code block`);
      const marker = /^<!-- doc-test: (compile-only|slow): (.+) -->$/.exec(lines[i - 1] ?? '');
      blocks.push({ name: `${relative(ROOT, file)}:${i + 1}`, code: lines.slice(i + 1, end).join('\n'), lang: open[1].startsWith('t') ? 'ts' : 'js', mode: (marker?.[1] as DocBlock['mode'] | undefined) ?? 'run', reason: marker?.[2] ?? '' });
      i = end;
    }
  }
  return blocks;
}

/**
 * A project that installed neurochaos: node_modules/neurochaos is this
 * package (its `exports` map, its built dist), beside the packages a reader
 * would have (fast-check, @types/node).
 */
function readerProject(): string {
  const dir = tempDir('neurochaos-docs-');
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'neurochaos'), 'dir');
  for (const dep of ['fast-check', '@types']) symlinkSync(join(ROOT, 'node_modules', dep), join(dir, 'node_modules', dep), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'reader', type: 'module', private: true }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions: { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noImplicitAny: true, allowJs: true, checkJs: true, outDir: 'out', skipLibCheck: true, types: ['node'] }, include: ['blocks'] }),
  );
  return dir;
}

describe('code blocks of README.md and docs/**/*.md', () => {
  const blocks = docBlocks();
  const project = readerProject();
  mkdirSync(join(project, 'blocks'));
  const fileOf = (b: DocBlock, i: number) => `block${String(i).padStart(2, '0')}.${b.lang === 'ts' ? 'mts' : 'mjs'}`;
  blocks.forEach((b, i) => writeFileSync(join(project, 'blocks', fileOf(b, i)), `// ${b.name}\n${b.code}\nexport {};\n`));

  it('there are blocks, and every one type-checks (strict) against the package as installed', async () => {
    assert.ok(blocks.length >= 7, `found ${blocks.length}`);
    try {
      await run(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(project, 'tsconfig.json')], { cwd: project });
    } catch (e) {
      const out = (e as { stdout?: string }).stdout ?? String(e);
      // Name the README block of each error, not the temp file.
      const named = out.replace(/blocks\/block(\d+)\.m[tj]s\((\d+),(\d+)\)/g, (_, n, line, col) => `${blocks[Number(n)].name} (+${Number(line) - 1}),${col}`);
      assert.fail(`documentation code does not compile:\n${named}`);
    }
  });

  blocks.forEach((b, i) => {
    if (b.mode === 'compile-only') return;
    const skip = b.mode === 'slow' && !HEAVY ? `slow (${b.reason}): NEUROCHAOS_HEAVY=1 runs it` : false;
    it(`${b.name} runs`, { skip }, async () => {
      const js = join(project, 'out', fileOf(b, i).replace(/\.mts$/, '.mjs'));
      assert.ok(existsSync(js), 'compiled by the test above');
      // From the repository folder, so the shipped scenarios the examples name are found.
      await run(process.execPath, [js], { cwd: ROOT, timeout: 600_000 });
    });
  });
});
