import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { pairsFor, parseBenchOptions } from '../../bench/run-options.js';
import { InputError } from '../../src/util/errors.js';

const RUN = fileURLToPath(new URL('../../bench/run.js', import.meta.url));
const WASM_CALL = fileURLToPath(new URL('../../bench/wasm-call.js', import.meta.url));
const JOB_BACKGROUND = fileURLToPath(new URL('../../bench/campaign/job-background.js', import.meta.url));

function rejects(args: string[], field: string, text: RegExp): void {
  assert.throws(
    () => parseBenchOptions(args),
    (e: unknown) => e instanceof InputError && e.field === field && text.test(e.message),
    `${args.join(' ')} should be rejected on ${field} matching ${text}`,
  );
}

describe('npm run bench flags (bench/run-options.ts)', () => {
  it('checks --pairs whatever else is given, --quick included', () => {
    for (const bad of ['0', 'abc', '1.5', '101', '', ' ']) rejects(['--suite', 'campaign', '--quick', '--pairs', bad], '--pairs', /integer in \[1, 100\]/);
    rejects(['--suite', 'cpu-speed', '--pairs', '0'], '--pairs', /integer in \[1, 100\]/);
    // guards' statistics need 5 pairs: the range says so.
    rejects(['--suite', 'guards', '--pairs', '3'], '--pairs', /integer in \[5, 100\] \(guards needs at least 5\)/);
  });

  it('refuses --pairs, --trials and --points for suites that do not take them, instead of ignoring them', () => {
    rejects(['--suite', 'simulate', '--pairs', '3'], '--pairs', /applies only to the suites guards, campaign, cpu-speed/);
    rejects(['--suite', 'scaling', '--trials', '10'], '--trials', /verdict-power/);
    rejects(['--suite', 'verdict-power', '--trials', '1'], '--trials', /integer in \[2, 10000\]/);
  });

  it('turns parseArgs errors and unknown suites or backends into InputError naming the flag', () => {
    rejects(['--suite', 'campaign', '--pairs', '-3'], '--pairs', /ambiguous/);
    rejects(['--bogus'], '--bogus', /Unknown option/);
    rejects(['--suite', 'campaign,nope'], '--suite', /unknown suite "nope"/);
    rejects(['--backend', 'gpu'], '--backend', /must be cpu or workers/);
  });

  it('takes integers written plainly only, refuses a flag given twice, and flags no suite that runs would use', () => {
    for (const odd of ['0x5', '0b11', '1e2', '+5', ' 5 ', '5.0']) rejects(['--suite', 'campaign', '--pairs', odd], '--pairs', /integer in \[1, 100\]/);
    rejects(['--suite', 'verdict-power', '--trials', '1e3'], '--trials', /integer in \[2, 10000\]/);
    rejects(['--suite', 'campaign', '--suite', 'guards'], '--suite', /given more than once/);
    rejects(['--suite', 'campaign', '--pairs', '3', '--pairs', '4'], '--pairs', /given more than once/);
    // guards does not run with --quick, so --pairs has no taker there.
    rejects(['--suite', 'guards', '--quick', '--pairs', '9'], '--pairs', /guards not with --quick/);
    rejects(['--suite', 'campaign', '--full'], '--full', /verdict-power, scaling, cpu-speed/);
    rejects(['--suite', 'throughput', '--backend', 'workers'], '--backend', /verdict-power/);
    rejects(['--suite', 'bogus', 'extra'], 'arguments', /Unexpected argument/);
  });

  it('takes --precision for cpu-speed only, float64 or float32', () => {
    rejects(['--suite', 'cpu-speed', '--precision', 'double'], '--precision', /must be one of float64, float32 \(got "double"\)/);
    rejects(['--suite', 'throughput', '--precision', 'float32'], '--precision', /applies only to the cpu-speed suite/);
    assert.equal(parseBenchOptions(['--suite', 'cpu-speed', '--precision', 'float32']).precision, 'float32');
    assert.equal(parseBenchOptions(['--suite', 'cpu-speed']).precision, undefined);
  });

  it('checks --points against the verdict-power form before any suite runs', () => {
    rejects(['--suite', 'campaign,verdict-power', '--points', 'nope'], '--points', /unknown point "nope"/);
    rejects(['--suite', 'verdict-power', '--points', 'aa-null,,x'], '--points', /unknown point ""/);
    assert.deepEqual(parseBenchOptions(['--suite', 'verdict-power', '--full', '--points', 'aa-null']).points, ['aa-null']);
  });

  it('gives each suite its pairs: the flag, else the default, 1 campaign round with --quick', () => {
    assert.equal(pairsFor(parseBenchOptions(['--suite', 'campaign']), 'campaign'), 5);
    assert.equal(pairsFor(parseBenchOptions(['--suite', 'campaign', '--quick']), 'campaign'), 1);
    assert.equal(pairsFor(parseBenchOptions(['--suite', 'campaign', '--quick', '--pairs', '3']), 'campaign'), 3);
    assert.equal(pairsFor(parseBenchOptions(['--suite', 'guards']), 'guards'), 7);
    assert.equal(pairsFor(parseBenchOptions(['--suite', 'cpu-speed', '--pairs', '9']), 'cpu-speed'), 9);
    const all = parseBenchOptions(['--suite', 'all']);
    assert.equal(all.suites.size, 13);
  });

  it('exits 2 with the message and no stack trace before any suite runs', () => {
    for (const [script, args, text] of [
      [RUN, ['--suite', 'campaign', '--quick', '--pairs', 'abc'], /npm run bench: --pairs: must be an integer in \[1, 100\]/],
      [RUN, ['--suite', 'bogus'], /npm run bench: --suite: unknown suite "bogus"/],
      [WASM_CALL, ['0'], /wasm-call: INSTANCES: must be an integer in \[1, 16\]/],
      [WASM_CALL, ['2', '999'], /wasm-call: CALLS: must be an integer in \[1000, 1e9\]/],
      [WASM_CALL, ['0x3e8'], /wasm-call: INSTANCES: must be an integer in \[1, 16\] \(got "0x3e8"\)/],
      [RUN, ['--suite', 'campaign,verdict-power', '--points', 'nope'], /npm run bench: --points: unknown point "nope"/],
      [JOB_BACKGROUND, ['', '12', '0'], /job-background: WARM: must be an integer in \[0, 32\] \(got ""\)/],
      [JOB_BACKGROUND, ['8', '25'], /job-background: JOBS: must be an integer in \[0, 24\]/],
    ] as const) {
      const r = spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: exit ${r.status}, stderr ${r.stderr}`);
      assert.match(r.stderr, text);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      assert.doesNotMatch(r.stdout, /suites:/, 'nothing ran');
    }
  });
});
