import assert from 'node:assert/strict';
import { test } from 'node:test';
import { existsSync } from 'node:fs';
import { runMain } from '../cli/in-process.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { BASE, TINY_CAMPAIGN, writeCampaign } from './helpers.js';
import { expandCampaign, loadCampaign } from '../../src/campaign/load-campaign.js';
import { validateJob } from '../../src/campaign/job.js';
import { InputError } from '../../src/util/errors.js';

const dir = tempDir('neurochaos-campaign-schema-');

/** Runs `campaign --dry-run` on a campaign body and returns the exit code and the error line. */
async function dryRun(name: string, body: string) {
  const file = writeCampaign(dir, name, body);
  const r = await runMain(['campaign', file, '--dry-run', '--out', `${dir}/out-${name}`]);
  return { ...r, file };
}

const cases: { name: string; body: string; field: string; text?: RegExp }[] = [
  { name: 'negative-observation', body: BASE.replace('observationMs: 50', 'observationMs: -5') + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '.experiment.observationMs', text: /must be a number in \(0, 1000000000\]/ },
  { name: 'unknown-key', body: BASE + 'colour: blue\nsweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '', text: /colour/ },
  { name: 'no-sweeps', body: BASE + 'sweeps: []\n', field: '.sweeps', text: /at least one sweep/ },
  { name: 'bad-log-range', body: BASE + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, mode: sign-flip }, grid: { fraction: { log: [0, 0.5], points: 3 } } }]\n', field: '.sweeps[0].grid.fraction.log', text: /> 0/ },
  { name: 'bad-points', body: BASE + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, mode: sign-flip }, grid: { fraction: { linear: [0.1, 0.5], points: 0 } } }]\n', field: '.sweeps[0].grid.fraction.points' },
  { name: 'fault-value-out-of-range', body: BASE + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, mode: sign-flip }, grid: { fraction: [0.1, 2] } }]\n', field: '.sweeps[0].grid.fraction', text: /fraction=2/ },
  { name: 'fault-base-field', body: BASE + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: no-such-mode } }]\n', field: '.sweeps[0].fault.mode' },
  { name: 'unknown-population', body: BASE + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: Q, target: E, mode: sign-flip }, grid: { fraction: [0.1] } }]\n', field: '.sweeps[0].fault.source', text: /unknown population "Q"/ },
  { name: 'unknown-kind', body: BASE + 'sweeps: [{ name: s, fault: { kind: meteor-strike } }]\n', field: '.sweeps[0].fault.kind' },
  { name: 'bad-measure', body: BASE + 'measures: [verdict, vibes]\nsweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '.measures[1]' },
  { name: 'x-not-an-axis', body: BASE + 'sweeps: [{ name: s, x: fraction, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1 }, grid: { mode: [sign-flip] } }]\n', field: '.sweeps[0].x' },
  { name: 'duplicate-sweep', body: BASE + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }, { name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.2, mode: sign-flip } }]\n', field: '.sweeps[1].name' },
  { name: 'controls-refused', body: BASE + 'controls: 1\nsweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '.controls', text: /replaced by judge\.controls \(paired \| baseline\) and judge\.trials/ },
  { name: 'batch-beside-trials', body: BASE + 'batch: 4\nsweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '.batch', text: /cannot be given beside judge\.trials/ },
  { name: 'too-many-trials-per-replica', body: BASE.replace('judge: { trials: 1 }', 'judge: { trials: 4000 }') + 'sweeps: [{ name: s, fault: { kind: spike-storm, rateHz: 100, amplitudePa: 20 } }]\n', field: '.judge.trials', text: /at most 2048/ },
  { name: 'judge-alpha-out-of-range', body: BASE.replace('judge: { trials: 1 }', 'judge: { trials: 1, alpha: 2 }') + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '.judge.alpha', text: /must be a number in \(0, 1\]/ },
  { name: 'judge-unknown-key', body: BASE.replace('judge: { trials: 1 }', 'judge: { trials: 1, power: 0.8 }') + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '.judge', text: /power/ },
  { name: 'missing-model-file', body: BASE.replace('TINY_MODEL', 'no-such-model.yaml') + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n', field: '.model.name' },
];

for (const c of cases) {
  test(`campaign schema error names the field: ${c.name}`, async () => {
    const r = await dryRun(`${c.name}.yaml`, c.body);
    assert.equal(r.code, 2, r.stderr);
    const line = r.stderr.split('\n')[0];
    assert.ok(line.startsWith(`neurochaos: error: ${r.file}${c.field}`), `expected field ${r.file}${c.field} in: ${line}`);
    if (c.text) assert.match(r.stderr, c.text);
  });
}

test('dry run prints the jobs and an estimate; validate accepts a campaign file', async () => {
  const r = await runMain(['campaign', TINY_CAMPAIGN, '--dry-run', '--json', '--out', `${dir}/dry`]);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.jobs, 24);
  assert.equal(s.toRun, 24);
  assert.ok(s.simulatedReplicaSeconds > 0 && s.estimatedWallSeconds > 0);
  const v = await runMain(['validate', TINY_CAMPAIGN]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, /valid campaign \(Tiny corruption sweep, 24 jobs\)/);
});

test('jobs carry the model content, not its path; the hash changes with the seed and the code version', () => {
  const c = loadCampaign(TINY_CAMPAIGN);
  const [a, b] = c.jobs;
  assert.equal((a.job.scenario.model as { name: string }).name, 'campaign-model');
  assert.ok(!JSON.stringify(a.job).includes('tiny.yaml'), 'no path in a job');
  assert.equal((a.job.model as { name: string }).name, 'tiny');
  assert.notEqual(a.labels.seed, b.labels.seed);
  assert.notEqual(a.hash, b.hash);
  const again = loadCampaign(TINY_CAMPAIGN);
  assert.deepEqual(again.jobs.map((j) => j.hash), c.jobs.map((j) => j.hash), 'the same file gives the same hashes');
  assert.equal(new Set(c.jobs.map((j) => j.hash)).size, 24);
});

test('a job is validated as untrusted input: no paths, the right shape', () => {
  const { job } = loadCampaign(TINY_CAMPAIGN).jobs[0];
  assert.doesNotThrow(() => validateJob(job));
  const pathModel = { ...job, model: null, scenario: { ...job.scenario, model: { name: '/etc/passwd' } } };
  assert.throws(() => validateJob(pathModel), (e: unknown) => e instanceof InputError && e.field === 'job.scenario.model.name');
  assert.throws(() => validateJob({ ...job, extra: 1 }), (e: unknown) => e instanceof InputError && e.field.startsWith('job'));
  assert.throws(() => validateJob({ ...job, scenario: { ...job.scenario, batch: -1 } }), (e: unknown) => e instanceof InputError && e.field === 'job.scenario.batch');
  assert.throws(() => validateJob({ ...job, model: { populations: 'many' } }), (e: unknown) => e instanceof InputError && e.field.startsWith('job.model'));
  assert.throws(() => validateJob('rm -rf /'), (e: unknown) => e instanceof InputError);
});

test('the deprecated batch loads as judge.trials (as a scenario reads it), with a notice; jobs never carry batch or controls', async () => {
  const sweeps = [{ name: 's', fault: { kind: 'spike-storm', rateHz: 100, amplitudePa: 20 } }];
  const base = { title: 't', model: { name: 'cuba', scale: 0.1 }, experiment: { observationMs: 50, recoveryTimeoutMs: 100 }, sweeps };
  const fresh = expandCampaign(base, 'fresh.yaml');
  const old = expandCampaign({ ...base, batch: 2 }, 'old.yaml');
  assert.deepEqual(fresh.notices, []);
  assert.equal(old.notices.length, 1);
  assert.match(old.notices[0], /^old\.yaml: batch is deprecated .*batch: 2 is read as judge\.trials: 1 .*write judge\.trials instead/);
  // batch: 2 was one control and one treated replica: one paired trial, the default; the same jobs.
  assert.deepEqual(old.jobs.map((j) => j.hash), fresh.jobs.map((j) => j.hash));
  const scenario = fresh.jobs[0].job.scenario;
  assert.ok(!('batch' in scenario) && !('controls' in scenario), JSON.stringify(scenario));
  // Jobs carry the scenario's judge block whole (its defaults written out), trials always given.
  const defaults = { tolerance: { relative: 0.1 }, alpha: 0.05, minExpectedSpikes: 200 };
  assert.deepEqual(scenario.judge, { controls: 'paired', trials: 1, ...defaults });
  assert.deepEqual(expandCampaign({ ...base, judge: { trials: 1, alpha: 0.05 } }, 'same.yaml').jobs.map((j) => j.hash), fresh.jobs.map((j) => j.hash), 'defaults given or not: the same jobs');
  assert.deepEqual(expandCampaign({ ...base, batch: 7 }, 'b.yaml').jobs[0].job.scenario.judge, { controls: 'paired', trials: 3, ...defaults });
  assert.deepEqual(expandCampaign({ ...base, batch: 3, judge: { controls: 'baseline' } }, 'b.yaml').jobs[0].job.scenario.judge, { controls: 'baseline', trials: 3, ...defaults });
  // The CLI prints the notice on stderr (validate and campaign) and still accepts the file.
  const file = writeCampaign(dir, 'old-batch.yaml', BASE.replace('judge: { trials: 1 }', 'batch: 4') + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, fraction: 0.1, mode: sign-flip } }]\n');
  const r = await runMain(['validate', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /batch is deprecated .*batch: 4 is read as judge\.trials: 2/);
});

test('a bad campaign file through the real command (a full run, not a dry run) and validate: exit 2 naming the field, nothing written', async () => {
  const file = writeCampaign(dir, 'bad-run.yaml', BASE + 'sweeps: [{ name: s, fault: { kind: weight-corruption, source: E, target: E, mode: sign-flip }, grid: { fraction: [0.1, 2] } }]\n');
  const out = `${dir}/bad-run-out`;
  // The local pool starts while the file loads: the refusal must still end the command at once, with exit 2, writing nothing.
  const run = await runCli(['campaign', file, '--out', out, '--concurrency', '2']);
  assert.equal(run.code, 2, run.stderr);
  assert.ok(run.stderr.startsWith(`neurochaos: error: ${file}.sweeps[0].grid.fraction: `), run.stderr);
  assert.match(run.stderr, /fraction=2/);
  assert.ok(!existsSync(out), 'nothing written');
  const v = await runCli(['validate', file]);
  assert.equal(v.code, 2, v.stderr);
  assert.ok(v.stderr.includes(`${file}.sweeps[0].grid.fraction`), v.stderr);
});
