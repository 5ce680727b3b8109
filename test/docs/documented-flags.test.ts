import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COMMANDS } from '../../src/cli/registered-commands.js';
import { markdownFiles } from './markdown-files.js';

/**
 * Flags of the other programs the docs show, with the command that takes them
 * (their own parsers: bench/run.ts, fuzz/campaign.ts, node, npm). A flag in
 * the docs must be a neurochaos flag or one of these.
 */
const OTHER_PROGRAMS: { name: string; pattern: RegExp; flags: string[] }[] = [
  { name: 'npm run bench', pattern: /npm run bench\b/, flags: ['--suite', '--quick', '--backend', '--full', '--points', '--trials', '--pairs', '--precision'] },
  { name: 'node dist/bench/webgpu-run.js', pattern: /webgpu-run\.js/, flags: ['--quick'] },
  { name: 'deno test', pattern: /\bdeno test\b/, flags: ['--no-check'] },
  { name: 'npm run fuzz', pattern: /npm run fuzz\b/, flags: ['--runs', '--seed', '--property', '--path', '--replay-path'] },
  { name: 'node dist/bench/cpu-ratio.js', pattern: /cpu-ratio(-child)?\.js/, flags: ['--base', '--model', '--steps', '--pairs', '--root', '--seed', '--precision'] },
  { name: 'node dist/bench/precision-rates.js', pattern: /precision-rates\.js/, flags: ['--model', '--seeds', '--duration'] },
  { name: 'node dist/bench/lif-update-precision.js', pattern: /lif-update-precision\.js/, flags: ['--steps', '--rounds', '--quiet'] },
  { name: 'node', pattern: /\bnode\b/, flags: ['--test', '--test-name-pattern', '--cpu-prof', '--trace-gc', '--trace-incremental-marking', '--trace-opt', '--single-threaded', '--single-threaded-gc', '--no-concurrent-recompilation', '--v8-pool-size', '--print-opt-source', '--initial-old-space-size'] },
  { name: 'npm install', pattern: /npm install\b/, flags: ['--no-audit', '--no-fund', '--save-dev'] },
];

const FLAG = /(?<![\w-])--[a-z][a-z0-9-]*/g;
const GLOBAL = ['--help', '--version'];
const flagsOf = new Map(COMMANDS.map((c) => [c.name, new Set([...Object.keys(c.flags).map((f) => `--${f}`), ...GLOBAL])]));
const everyCliFlag = new Set([...flagsOf.values()].flatMap((s) => [...s]));

interface Mention {
  where: string;
  flag: string;
  /** The neurochaos command the flag follows on its line, if any. */
  command?: string;
  /** Another program the flag follows on its line, if any. */
  program?: (typeof OTHER_PROGRAMS)[number];
}

/**
 * Every `--flag` in README.md and docs/*.md, with what it belongs to: a flag
 * after `neurochaos COMMAND` on the same line (a shell line continued with a
 * backslash counts as one) belongs to that command until the next `;`, `|`,
 * `#`, `&&` or backtick; after another program's name, to that program.
 */
function mentions(): Mention[] {
  const out: Mention[] = [];
  for (const [file, text] of markdownFiles()) {
    const lines = text.replace(/\\\n/g, ' ').split('\n');
    lines.forEach((line, i) => {
      const where = `${file}:${i + 1}`;
      const owners: { at: number; end: number; command?: string; program?: Mention['program'] }[] = [];
      for (const m of line.matchAll(/neurochaos (\w[\w-]*)/g)) {
        if (!flagsOf.has(m[1])) continue;
        const rest = line.slice(m.index! + m[0].length);
        const stop = rest.search(/[;|#`]|&&/);
        owners.push({ at: m.index!, end: m.index! + m[0].length + (stop < 0 ? rest.length : stop), command: m[1] });
      }
      for (const p of OTHER_PROGRAMS) {
        const m = p.pattern.exec(line);
        if (m) owners.push({ at: m.index, end: line.length, program: p });
      }
      for (const f of line.matchAll(FLAG)) {
        const owner = owners.filter((o) => o.at < f.index! && f.index! < o.end).sort((a, b) => b.at - a.at)[0];
        out.push({ where, flag: f[0], command: owner?.command, program: owner?.program });
      }
    });
  }
  return out;
}

describe('every flag in the docs exists, and every flag is documented', () => {
  const all = mentions();

  it('the docs mention flags (the scan works)', () => {
    assert.ok(all.length > 50, `found ${all.length}`);
    assert.ok(all.some((m) => m.command === 'run' && m.flag === '--defences'));
  });

  it('a flag after `neurochaos COMMAND` is a flag of that command', () => {
    const wrong = all.filter((m) => m.command && !flagsOf.get(m.command)!.has(m.flag)).map((m) => `${m.where}: neurochaos ${m.command} has no ${m.flag}`);
    assert.deepEqual(wrong, []);
  });

  it("a flag after another program's name is one of its flags", () => {
    const wrong = all.filter((m) => !m.command && m.program && !m.program.flags.includes(m.flag) && !everyCliFlag.has(m.flag)).map((m) => `${m.where}: ${m.program!.name} has no ${m.flag}`);
    assert.deepEqual(wrong, []);
  });

  it("any other flag in the docs is a flag of some neurochaos command or of another program's", () => {
    const otherFlags = new Set(OTHER_PROGRAMS.flatMap((p) => p.flags));
    const wrong = all.filter((m) => !m.command && !m.program && !everyCliFlag.has(m.flag) && !otherFlags.has(m.flag)).map((m) => `${m.where}: no command has ${m.flag}`);
    assert.deepEqual(wrong, []);
  });

  it('every flag of every command is documented in docs/cli.md under its command (npm run docs writes it from the table)', () => {
    const cli = markdownFiles().find(([f]) => f === 'docs/cli.md')?.[1] ?? '';
    for (const c of COMMANDS) {
      const section = cli.slice(cli.indexOf(`## neurochaos ${c.name}\n`)).split(/\n## /)[0];
      assert.ok(section.length > 0, `docs/cli.md has no section for ${c.name}`);
      for (const flag of Object.keys(c.flags)) assert.match(section, new RegExp(`\\| \`--${flag}[ \`]`), `neurochaos ${c.name} --${flag} is not in docs/cli.md`);
    }
  });

  it('the scan catches a flag that does not exist and one used with the wrong command', () => {
    const bogus = '--no-such-flag';
    assert.ok(!everyCliFlag.has(bogus));
    assert.ok(!flagsOf.get('list')!.has('--out'));
    assert.ok(flagsOf.get('run')!.has('--out'));
  });
});
