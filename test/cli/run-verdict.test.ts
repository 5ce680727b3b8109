import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RUN_HELP } from '../../src/cli/run-command.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runMain } from './in-process.js';

const lines = (xs: string[]) => `${xs.join('\n')}\n`;
/** A CUBA scenario (800 neurons) on the reference backend, no recording; `defaults` lines added. */
function scenarioFile(dir: string, name: string, defaults: string, extra: string[] = []): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    lines([
      `title: ${name}`,
      'seed: 5',
      'model: { name: cuba, scale: 0.2 }',
      'backend: cpu',
      `defaults: { warmupMs: 20, baselineMs: 100, monitorIntervalMs: 10, holdMs: 20${defaults} }`,
      'defences: { recording: off }',
      ...extra,
      'experiments:',
      '  - id: storm',
      '    fault: { kind: spike-storm, target: { percent: 20 }, rateHz: 2000, amplitudePa: 200 }',
      '    observationMs: 40',
      '    recoveryTimeoutMs: 40',
    ]),
  );
  return file;
}

describe('run: the exit code follows the run verdict', () => {
  it('run --help states the rule: 0 only when every experiment passed, 1 otherwise, 2 bad input, 130 interrupted', async () => {
    const r = await runMain(['run', '--help']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `${RUN_HELP}\n`);
    assert.match(RUN_HELP, /Exit codes: 0 only when every experiment passed \(with --defences both, every\nexperiment of the defended run\); 1 otherwise .*; 2 bad input;\s+130 interrupted/s);
  });

  it('the steady state not met before injection: nothing injected, the experiment and the run fail, exit 1', async () => {
    const dir = tempDir('neurochaos-verdict-');
    // The narrowest rate band (the 1 Hz floor alone): the baseline leaves it (see the lifecycle test of the same scenario).
    const file = scenarioFile(dir, 'unsteady', ', tolerance: { sigmas: 0, relative: 0 }');
    const r = await runMain(['run', file, '--out', join(dir, 'out')]);
    assert.equal(r.code, 1, r.stderr);
    const j = JSON.parse(readFileSync(join(dir, 'out', 'journal.json'), 'utf8'));
    const e = j.experiments[0];
    assert.equal(e.status, 'failed');
    assert.deepEqual(e.verdict, { outcome: 'fail', reasons: ['steady state not met before injection'] });
    assert.equal(e.fault.injectedAtMs, null);
    assert.ok(!e.steps.some((s: { name: string }) => s.name === 'inject'), 'no injection step');
    assert.deepEqual(j.verdict, { outcome: 'fail', reasons: ['storm: fail: steady state not met before injection'] });
  });

  it('the deprecated batch loads with a notice on stderr naming judge.trials; the replaced controls count exits 2 naming the new fields', async () => {
    const dir = tempDir('neurochaos-verdict-');
    const old = scenarioFile(dir, 'old', '', ['batch: 2']);
    const v = await runMain(['validate', old]);
    assert.equal(v.code, 0, v.stderr);
    assert.match(v.stderr, /^neurochaos: .*old\.yaml: batch is deprecated .*batch: 2 is read as judge\.trials: 1 .*write judge\.trials instead$/m);
    const dry = await runMain(['run', old, '--dry-run']);
    assert.equal(dry.code, 0);
    assert.match(dry.stderr, /batch is deprecated/);
    const refused = await runMain(['validate', scenarioFile(dir, 'counted', '', ['batch: 4', 'controls: 2'])]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /counted\.yaml\.controls: is replaced by judge\.controls \(paired \| baseline\) and judge\.trials/);
  });
});
