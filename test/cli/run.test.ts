import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { validateRecordingBytes } from '../../src/record/read-recording.js';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitForRecordedStep, waitForResidentMb } from '../helpers/child-progress.js';

const QUICK = fileURLToPath(new URL('../../../scenarios/quick.yaml', import.meta.url));

describe('neurochaos run', () => {
  it('runs scenarios/quick.yaml: every kind, a journal, a report, a summary, exit code by verdict', async () => {
    const out = tempDir('neurochaos-run-');
    const r = await runCli(['run', QUICK, '--out', out]);
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    const journal = JSON.parse(readFileSync(join(out, 'journal.json'), 'utf8'));
    assert.equal(journal.tool.name, 'neurochaos');
    assert.equal(journal.experiments.length, 10);
    assert.deepEqual(
      journal.experiments.map((e: { fault: { kind: string } }) => e.fault.kind).sort(),
      ['allocator-pressure', 'cascading-failure', 'cpu-stress', 'disk-fault', 'neuron-fault', 'partition', 'spike-storm', 'weight-corruption', 'worker-crash', 'worker-stall'],
    );
    assert.equal(journal.formatVersion, 2);
    for (const e of journal.experiments) for (const v of Object.values(e.scores) as (number | null)[]) assert.ok(v === null || (v >= 0 && v <= 1));
    // Exit 0 only when every experiment passed: the steady state held before, during and after its fault and the SLA was met.
    const passed = journal.status === 'completed' && journal.experiments.every((e: { verdict: { outcome: string } }) => e.verdict.outcome === 'pass');
    assert.equal(r.code, passed ? 0 : 1);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    assert.match(html, /<svg/);
    assert.doesNotMatch(html, /<script|https?:\/\//, 'self-contained: no scripts, no network');
    assert.match(readFileSync(join(out, 'summary.md'), 'utf8'), /\| spike_storm \| spike-storm \|/);
    const again = await runCli(['report', join(out, 'journal.json'), '--out', join(out, 'again')]);
    assert.equal(again.code, 0, again.stderr);
    assert.ok(existsSync(join(out, 'again', 'report.html')));
  });

  it('SIGINT during an injection rolls back, marks the journal interrupted, exits 130', async () => {
    const dir = tempDir('neurochaos-run-');
    const file = join(dir, 'long.yaml');
    writeFileSync(file, ['title: long', 'model: { name: cuba }', 'backend: workers', 'workers: 2', 'defaults: { warmupMs: 20, baselineMs: 100 }', 'experiments:', '  - id: long_storm', '    fault: { kind: spike-storm, rateHz: 1000, amplitudePa: 50 }', '    observationMs: 1000000', '    recoveryTimeoutMs: 1000'].join('\n'));
    const { child, done } = startCli(['run', file, '--out', dir]);
    // The storm is injected at 120 ms (step 1200); the durable recording shows how far the run got, however loaded the machine.
    const recording = join(dir, 'recordings', 'long_storm.spikes');
    await waitForRecordedStep(recording, 2000);
    child.kill('SIGINT');
    const { code, stderr } = await done;
    assert.equal(code, 130, stderr);
    const journal = JSON.parse(readFileSync(join(dir, 'journal.json'), 'utf8'));
    assert.equal(journal.status, 'interrupted');
    const e = journal.experiments[0];
    assert.ok(e.steps.some((s: { name: string }) => s.name === 'inject'), 'it was injecting');
    assert.ok(e.steps.some((s: { name: string; status: string }) => s.name === 'final-rollback' && s.status === 'succeeded'));
    // The journal and the recording agree: nothing recorded was lost on the way out.
    assert.equal(e.defences.spikesLost, 0);
    assert.equal(e.defences.spikesDuplicated, 0);
    assert.ok(validateRecordingBytes(readFileSync(recording)).ok);
  });

  for (const command of ['run', 'validate'] as const) {
    it(`${command}: SIGINT while the scenario's network is built for its checks stops the build there, exit 130, nothing simulated`, async () => {
      const dir = tempDir('neurochaos-run-');
      const file = join(dir, 'big.yaml');
      // Scale 0.3: a build of seconds that fills 0.8 GB; the checks build it to resolve the fault's targets.
      writeFileSync(file, ['title: big', 'model: { name: microcircuit, scale: 0.3 }', 'backend: cpu', 'experiments:', '  - id: dead', '    fault: { kind: neuron-fault, target: { population: L4E, percent: 10 }, mode: dead }', '    observationMs: 10', '    recoveryTimeoutMs: 10'].join('\n'));
      const out = join(dir, 'out');
      const { child, done } = startCli([command, file, ...(command === 'run' ? ['--out', out] : [])]);
      await waitForResidentMb(child.pid as number, 250);
      child.kill('SIGINT');
      const { code, stdout, stderr } = await done;
      assert.equal(code, 130, stderr);
      assert.match(stderr, /neurochaos: interrupted while building the network: nothing was simulated/);
      assert.equal(stdout, '');
      assert.equal(existsSync(join(out, 'journal.json')), false, 'no run began, so no journal');
    });
  }

  it('bad input exits 2 with the field named; --dry-run injects nothing; list and validate work', async () => {
    const dir = tempDir('neurochaos-run-');
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'title: x\nexperiments:\n  - id: a\n    fault: { kind: spike-storm }\n    observationMs: nope\n    recoveryTimeoutMs: 1\n');
    const r = await runCli(['run', bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /experiments\[0\]\.observationMs: must be a number/);
    assert.equal((await runCli(['run'])).code, 2);
    assert.equal((await runCli(['run', QUICK, '--time-scale', '0'])).code, 2);
    const dry = await runCli(['run', QUICK, '--dry-run', '--json']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(JSON.parse(dry.stdout)[0].experiments.length, 10);
    assert.equal((await runCli(['validate', QUICK])).code, 0);
    assert.equal((await runCli(['validate', bad])).code, 2);
    const list = await runCli(['list']);
    assert.match(list.stdout, /^ {2}quick +Quick tour/m, 'shipped scenarios by name (run quick)');
    assert.match(list.stdout, /cascading-failure/);
  });
});
