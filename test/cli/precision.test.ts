import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { loadCampaign } from '../../src/campaign/load-campaign.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { InputError } from '../../src/util/errors.js';
import { BASE, writeCampaign } from '../campaign/helpers.js';
import { tempDir } from '../helpers/temp-dir.js';
import { runMain } from './in-process.js';

const dir = tempDir('neurochaos-precision-');

describe('--precision and the scenario and campaign field precision', () => {
  it('simulate --precision float32 runs in single precision and says so (JSON and text); other spikes than float64', async () => {
    const args = ['simulate', '--model', 'cuba', '--scale', '0.25', '--duration', '100', '--backend', 'cpu'];
    const f32 = await runMain([...args, '--precision', 'float32', '--json']);
    const f64 = await runMain([...args, '--json']);
    assert.equal(f32.code, 0, f32.stderr);
    assert.equal(JSON.parse(f32.stdout).precision, 'float32');
    assert.equal(JSON.parse(f64.stdout).precision, 'float64');
    assert.notEqual(JSON.parse(f32.stdout).spikeHash, JSON.parse(f64.stdout).spikeHash);
    const text = await runMain([...args, '--precision', 'float32']);
    assert.match(text.stdout, /seed 1, float32\)/);
  });

  it('simulate: a bad value, or float32 on gpujs, exits 2 naming --precision and the values', async () => {
    const bad = await runMain(['simulate', '--model', 'cuba', '--duration', '10', '--precision', 'double']);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--precision: must be one of float64, float32 \(got "double"\)/);
    const gpujs = await runMain(['simulate', '--model', 'cuba', '--scale', '0.05', '--duration', '10', '--backend', 'gpujs', '--precision', 'float32']);
    assert.equal(gpujs.code, 2);
    assert.match(gpujs.stderr, /--precision: the gpujs backend takes 'float64' \(got 'float32'\)/);
  });

  it('a scenario takes precision: float64 or float32, and names the field and both values otherwise; run --dry-run refuses float32 on gpujs', async () => {
    const scenario = { title: 't', experiments: [{ id: 'e', fault: { kind: 'spike-storm', rateHz: 10, amplitudePa: 5 }, observationMs: 10, recoveryTimeoutMs: 10 }] };
    assert.equal(validateScenario({ ...scenario, precision: 'float32' }).precision, 'float32');
    assert.equal(validateScenario(scenario).precision, undefined, 'left out: not filled in (older scenarios parse as before)');
    assert.throws(() => validateScenario({ ...scenario, precision: 'double' }), (e) => e instanceof InputError && /precision/.test(e.field) && /float64/.test(e.message) && /float32/.test(e.message));
    const file = join(dir, 'gpujs.json');
    writeFileSync(file, JSON.stringify({ ...scenario, backend: 'gpujs', precision: 'float32', model: { name: 'cuba', scale: 0.05 } }));
    const r = await runMain(['run', file, '--dry-run', '--out', join(dir, 'out')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /gpujs\.json\.precision: the gpujs backend takes 'float64' \(got 'float32'\)/);
    // Given on the command line, the value is named by its flag, not by the scenario field it overrides.
    const plain = join(dir, 'plain.json');
    writeFileSync(plain, JSON.stringify({ ...scenario, backend: 'gpujs', model: { name: 'cuba', scale: 0.05 } }));
    const flagged = await runMain(['run', plain, '--dry-run', '--precision', 'float32', '--out', join(dir, 'out2')]);
    assert.equal(flagged.code, 2);
    assert.match(flagged.stderr, /error: --precision: the gpujs backend takes 'float64' \(got 'float32'\)/);
  });

  it('a campaign\'s precision is carried by every job, so it is part of the job hash; left out or float64, jobs have no such field (hashes as before)', () => {
    const body = (extra: string) => BASE + extra + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n';
    const load = (name: string, extra: string) => {
      return loadCampaign(writeCampaign(dir, name, body(extra)));
    };
    const none = load('none.yaml', '');
    const f64 = load('f64.yaml', 'precision: float64\n');
    const f32 = load('f32.yaml', 'precision: float32\n');
    assert.equal('precision' in none.jobs[0].job.scenario, false);
    assert.equal(f32.jobs[0].job.scenario.precision, 'float32');
    assert.notEqual(f32.jobs[0].hash, none.jobs[0].hash);
    assert.notEqual(f32.jobs[0].hash, f64.jobs[0].hash);
    // Naming the default is the same simulation as leaving it out: the same jobs, the same hashes (stored results are reused).
    assert.equal('precision' in f64.jobs[0].job.scenario, false);
    assert.equal(f64.jobs[0].hash, none.jobs[0].hash);
    assert.throws(() => load('bad.yaml', 'precision: half\n'), (e) => e instanceof InputError && e.field.endsWith('.precision'));
  });
});
