import assert from 'node:assert/strict';
import { existsSync, mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { resolveScenarioArg, SCENARIO_DIR, shippedScenarioNames } from '../../src/cli/shipped-scenarios.js';
import { tempDir } from '../helpers/temp-dir.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('shipped scenarios by name', () => {
  it('a name, a file name or scenarios/NAME.yaml resolves to the package folder when no such file is here', () => {
    assert.ok(shippedScenarioNames().includes('quick'));
    for (const arg of ['quick', 'quick.yaml']) assert.equal(resolveScenarioArg(arg), join(SCENARIO_DIR, 'quick.yaml'), arg);
    // A path that exists here is taken as it is (in this repository, scenarios/quick.yaml is that file).
    const here = resolveScenarioArg('scenarios/quick.yaml');
    assert.ok(existsSync(here) && realpathSync(here) === realpathSync(join(SCENARIO_DIR, 'quick.yaml')));
    // A bare name that is neither a file nor shipped is refused with the names there are.
    assert.throws(() => resolveScenarioArg('no_such_scenario'), /scenario: no file "no_such_scenario" and no shipped scenario of that name \(shipped: .*\bquick\b.*\)/);
    assert.equal(resolveScenarioArg('elsewhere/quick.yaml'), 'elsewhere/quick.yaml', 'another folder is never redirected');
  });

  it('in a project that installed the package: list names them, and run/validate take what list prints', async () => {
    const project = tempDir();
    mkdirSync(join(project, 'node_modules'));
    symlinkSync(ROOT, join(project, 'node_modules', 'neurochaos'), 'dir');
    const bin = join(project, 'node_modules', 'neurochaos', 'bin', 'neurochaos.js');
    // The installed bin, run from the project's folder (where there is no scenarios/).
    const cli = (args: string[]) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        const child = spawn(process.execPath, [bin, ...args], { cwd: project, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      });
    const list = await cli(['list']);
    assert.equal(list.code, 0);
    assert.match(list.stdout, /^ {2}quick +Quick tour/m);
    assert.match(list.stdout, /neurochaos run quick/);
    for (const arg of ['quick', 'scenarios/quick.yaml', 'spike_storm_overload.yaml']) {
      const v = await cli(['validate', arg]);
      assert.equal(v.code, 0, `${arg}: ${v.stderr}`);
      const dry = await cli(['run', arg, '--dry-run', '--json']);
      assert.equal(dry.code, 0, `${arg}: ${dry.stderr}`);
      assert.ok(JSON.parse(dry.stdout)[0].experiments.length >= 1);
    }
    const missing = await cli(['validate', 'quik']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no file "quik" and no shipped scenario of that name \(shipped: .*quick/);
  });
});
