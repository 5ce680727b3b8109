import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rangeText, textOf } from '../../src/cli/command-table.js';
import { commandHelp, flagSentence, mainHelp } from '../../src/cli/help-text.js';
import { parseCommand } from '../../src/cli/parse-command.js';
import { COMMANDS } from '../../src/cli/registered-commands.js';
import { InputError } from '../../src/util/errors.js';
import { runMain } from './in-process.js';

const spec = {
  args: { syntax: 'FILE', max: 1 },
  flags: {
    rate: { type: 'number', value: 'HZ', min: 0, max: 100, exclusiveMin: true, default: 5, description: 'a rate' },
    steps: { type: 'number', value: 'N', min: 1, max: 10, integer: true, description: 'steps' },
    mode: { type: 'choice', value: 'M', choices: ['a', 'b'], description: 'a mode' },
    name: { type: 'string', value: 'S', description: 'a name', check: (v: string, flag: string) => { if (v === 'bad') throw new InputError(flag, 'is bad'); return v.toUpperCase(); } },
    quiet: { type: 'boolean', description: 'say less' },
  },
} as const;

describe('the command table drives parsing', () => {
  it('types values, applies defaults, runs checks', () => {
    const p = parseCommand(spec, ['f.yaml', '--steps', '3', '--mode', 'b', '--name', 'x']);
    assert.ok(!p.help);
    assert.deepEqual(p.flags, { rate: 5, steps: 3, mode: 'b', name: 'X', quiet: false });
    assert.deepEqual(p.args, ['f.yaml']);
    const q = parseCommand(spec, ['--rate', '7.5', '--quiet']);
    assert.ok(!q.help);
    assert.equal(q.flags.rate, 7.5);
    assert.equal(q.flags.steps, undefined);
    assert.equal(q.flags.quiet, true);
  });

  it('refuses values outside the range or choices, naming the flag and what it allows', () => {
    assert.throws(() => parseCommand(spec, ['--rate', '0']), /--rate: must be a number in \(0, 100\] \(got "0"\)/);
    assert.throws(() => parseCommand(spec, ['--steps', '2.5']), /--steps: must be an integer in \[1, 10\]/);
    assert.throws(() => parseCommand(spec, ['--mode', 'c']), /--mode: must be one of a, b \(got "c"\)/);
    assert.throws(() => parseCommand(spec, ['--name', 'bad']), /--name: is bad/);
    assert.throws(() => parseCommand(spec, ['--nope']), /--nope/);
    assert.throws(() => parseCommand(spec, ['a', 'b']), /unexpected argument "b"/);
    assert.throws(() => parseCommand(spec, ['--rate']), /--rate/);
  });

  it('--help and -h win over the rest of the line', () => {
    assert.deepEqual(parseCommand(spec, ['--rate', 'x', '-h']), { help: true });
    assert.deepEqual(parseCommand(spec, ['--help']), { help: true });
  });

  it('a flag sentence states the choices, the range and the default', () => {
    assert.equal(flagSentence(spec.flags.rate), 'a rate (a number in (0, 100]; default 5)');
    assert.equal(flagSentence(spec.flags.mode), 'a mode (one of a, b)');
    assert.equal(rangeText(spec.flags.steps), 'an integer in [1, 10]');
  });
});

describe('help comes from the table', () => {
  it('neurochaos --help lists every registered command with its summary', () => {
    const help = mainHelp(COMMANDS);
    for (const c of COMMANDS) assert.match(help, new RegExp(`\\n  ${c.name}\\b.*${c.summary.slice(0, 20).replace(/[()]/g, '.')}`));
  });

  it("every command's --help shows every flag of its table with the flag's range and default, and the same text as commandHelp", async () => {
    for (const c of COMMANDS) {
      const r = await runMain([c.name, '--help']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${commandHelp(c)}\n`);
      const flat = r.stdout.replace(/\n +/g, ' ');
      for (const [name, f] of Object.entries(c.flags)) {
        assert.ok(flat.includes(`--${name}`), `${c.name} --${name}`);
        if (f.type === 'number') assert.ok(flat.includes(rangeText(f)), `${c.name} --${name}: ${rangeText(f)}`);
        if (f.defaultText !== undefined) assert.ok(flat.includes(`default ${textOf(f.defaultText)}`), `${c.name} --${name} default`);
      }
    }
  });

  it('an unknown command names the registered ones', async () => {
    const r = await runMain(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`commands: ${COMMANDS.map((c) => c.name).join(', ')}`));
  });

  it('a time off the dt grid on a number flag is refused with the flag\'s allowed range', async () => {
    const r = await runMain(['simulate', '--model', 'cuba', '--scale', '0.05', '--duration', '0.25']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--duration: must be a multiple of dt = 0\.1 ms \(got 0\.25; nearest 0\.2 or 0\.3\); allowed: a number in \(0, 10000000\] ms/);
  });
});
