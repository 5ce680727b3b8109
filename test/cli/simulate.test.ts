import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitForRecordedStep, waitForResidentMb } from '../helpers/child-progress.js';
import { DELAY_ORDER_MIN_RING_BYTES, ringBytes } from '../../src/backends/workers/delay-order.js';
import { buildNetwork } from '../../src/model/builder.js';
import { microcircuitSpec } from '../../src/model/microcircuit.js';

const REQUIRED = ['model', 'neurons', 'synapses', 'backend', 'workers', 'batch', 'durationMs', 'buildMs', 'setupMs', 'wallMs', 'rtf', 'spikes', 'synapticEvents', 'ratesHz', 'spikeHash', 'peakRssBytes'];

describe('neurochaos simulate', () => {
  it('prints one JSON object with the contract fields', async () => {
    const r = await runCli(['simulate', '--model', 'cuba', '--duration', '200', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    for (const k of REQUIRED) assert.ok(k in out, `missing ${k}`);
    assert.equal(out.model, 'cuba');
    assert.equal(out.neurons, 4000);
    assert.equal(out.backend, 'workers');
    assert.ok(out.workers >= 1);
    assert.equal(out.durationMs, 200);
    assert.ok(Math.abs(out.rtf - out.wallMs / out.durationMs) < 1e-9);
    assert.deepEqual(Object.keys(out.ratesHz), ['E', 'I']);
    assert.match(out.spikeHash, /^[0-9a-f]{16}$/);
  });

  it('is reproducible: same seed same hash, other seed other hash', async () => {
    const args = ['simulate', '--model', 'cuba', '--duration', '100', '--json'];
    const [a, b, c] = await Promise.all([runCli([...args, '--seed', '3']), runCli([...args, '--seed', '3']), runCli([...args, '--seed', '4'])]);
    assert.equal(JSON.parse(a.stdout).spikeHash, JSON.parse(b.stdout).spikeHash);
    assert.notEqual(JSON.parse(a.stdout).spikeHash, JSON.parse(c.stdout).spikeHash);
  });

  it('prints a readable table without --json', async () => {
    const r = await runCli(['simulate', '--model', 'cuba', '--duration', '50']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /real-time factor/);
    assert.match(r.stdout, /^\s+setup\s+\d+\.\d\d s/m);
    assert.doesNotMatch(r.stdout, /delivery order/, 'CUBA\'s rings fit the caches: target order, not named');
    assert.match(r.stdout, /spikeHash\s+[0-9a-f]{16}/);
    assert.match(r.stdout, /^\s+E\s+\d+\.\d{3}$/m);
  });

  it('runs a user-defined YAML model', async () => {
    const dir = tempDir('neurochaos-cli-');
    const file = join(dir, 'tiny.yaml');
    writeFileSync(
      file,
      [
        'name: tiny',
        'populations:',
        '  - name: A',
        '    size: 50',
        '    drives: [{ kind: dc, currentPa: 500 }]',
        'projections:',
        '  - { source: A, target: A, rule: { kind: fixed-indegree, indegree: 5 }, weightPa: { kind: constant, value: 20 }, delayMs: { kind: constant, value: 1 } }',
      ].join('\n'),
    );
    const r = await runCli(['simulate', '--model', file, '--duration', '100', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.model, 'tiny');
    assert.equal(out.synapses, 250);
    assert.ok(out.ratesHz.A > 10);
  });

  const bad: [string[], RegExp][] = [
    [['--scale', 'abc'], /--scale: must be a number in \(0, 100\] \(got "abc"\)/],
    [['--scale', '5'], /--scale: must be a number in \[0\.001, 1\]/],
    [['--duration=-1'], /--duration: must be a number/],
    [['--duration', '-1'], /--duration: .*argument is ambiguous/],
    [['--duration', 'Infinity'], /--duration/],
    [['--seed', '1.5'], /--seed: must be an integer in \[0, 4294967295\]/],
    [['--batch', '0'], /--batch: must be an integer in \[1, 4096\]/],
    [['--backend', 'quantum'], /--backend: unknown backend "quantum" \(available: workers, cpu, tfjs, tfjs-node-gpu, tfjs-webgpu, tfjs-node, tfjs-cpu, gpujs, webgpu, auto\)/],
    [['--backend', 'cpu', '--workers', '2'], /--workers: the cpu backend is the single-threaded reference/],
    [['--model', 'cuba', '--k-scale', '0.5'], /--k-scale: applies to the microcircuit only/],
    [['--model', '/nonexistent/model.yaml'], /--model: cannot read model file/],
    [['--warmup', '2000', '--duration', '100', '--model', 'cuba'], /--warmup: must be a number in \[0, durationMs\)/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
    [['positional'], /unexpected argument "positional"/],
  ];
  for (const [args, pattern] of bad) {
    it(`exits 2 with a clear error for ${args.join(' ')}`, async () => {
      const r = await runCli(['simulate', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stdout, '');
    });
  }

  it('exits 2 for an unknown command and for an invalid model file, naming the field', async () => {
    const r = await runCli(['simulat']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown command "simulat"/);
    const dir = tempDir('neurochaos-cli-');
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ populations: [{ name: 'A', size: 10, neuron: { tauMembraneMs: -1 } }] }));
    const m = await runCli(['simulate', '--model', file]);
    assert.equal(m.code, 2);
    assert.match(m.stderr, /populations\[0\]\.neuron\.tauMembraneMs: must be a number in \(0, 100000\]/);
  });

  it('continues from a checkpoint in a fresh process with the same spikeHash as one run', async () => {
    const dir = tempDir('neurochaos-cli-');
    const file = join(dir, 'half.nchk');
    const common = ['simulate', '--model', 'cuba', '--json', '--workers', '2'];
    const whole = JSON.parse((await runCli([...common, '--duration', '200'])).stdout);
    const first = await runCli([...common, '--duration', '100', '--save-checkpoint', file]);
    assert.equal(first.code, 0, first.stderr);
    const second = await runCli([...common, '--duration', '100', '--restore', file]);
    assert.equal(second.code, 0, second.stderr);
    const out = JSON.parse(second.stdout);
    assert.equal(out.startMs, 100);
    assert.equal(out.endMs, 200);
    assert.equal(out.spikeHash, whole.spikeHash);
    assert.equal(out.spikes, whole.spikes);
    const wrong = await runCli(['simulate', '--model', 'cuba', '--scale', '0.5', '--restore', file]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /--restore: was taken from a different network: neuronCount is 4000 there, 2000 here/);
    const garbage = join(dir, 'garbage.nchk');
    writeFileSync(garbage, 'NCHKPT01 but then nothing useful at all, definitely truncated');
    const bad = await runCli(['simulate', '--model', 'cuba', '--restore', garbage]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--restore: .*(truncated|corrupted)/);
  });

  it('stops cleanly on SIGINT, prints what ran, exits 130', async () => {
    const recording = join(tempDir('neurochaos-sim-'), 'run.spikes');
    const { child, done } = startCli(['simulate', '--model', 'cuba', '--duration', '1000000', '--record', recording, '--json']);
    // Signal once the run is under way (its recording has blocks), not after a fixed sleep: on a slow
    // machine the signal could otherwise land before the handler or before the first step.
    assert.ok((await waitForRecordedStep(recording, 1000)) >= 1000, 'the run never got going');
    child.kill('SIGINT');
    const { code, stdout, stderr } = await done;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /SIGINT received, stopping cleanly/);
    const out = JSON.parse(stdout);
    assert.equal(out.interrupted, true);
    assert.ok(out.durationMs > 0 && out.durationMs < 1000000);
    assert.ok(out.spikes > 0);
  });

  it('SIGINT during the network build stops the build there: exit 130, says so, prints no result', async () => {
    // Scale 0.3: about 90 M synapses, a build of seconds that fills 0.8 GB of connectivity.
    const { child, done } = startCli(['simulate', '--model', 'microcircuit', '--scale', '0.3', '--duration', '100', '--json']);
    // The build is under way once the child's resident memory passes 250 MB (its connectivity being filled in):
    // read from the child itself, not guessed with a sleep. Most of the build is still to come then.
    await waitForResidentMb(child.pid as number, 250);
    child.kill('SIGINT');
    const { code, stdout, stderr } = await done;
    assert.equal(code, 130, stderr);
    assert.match(stderr, /SIGINT received, stopping cleanly/);
    // Had the signal waited for the build to end, the run would have been skipped and a result printed instead.
    assert.match(stderr, /neurochaos: interrupted while building the network: nothing was simulated/);
    assert.equal(stdout, '');
  });

  it('names delay order where the rings reach 12 MiB, with the spikes of the cpu backend; --delivery-order overrides it', async () => {
    const small = buildNetwork(microcircuitSpec({ scale: 0.02 }), { seed: 1 });
    const batch = String(Math.ceil(DELAY_ORDER_MIN_RING_BYTES / ringBytes(small, 1)));
    const args = ['simulate', '--model', 'microcircuit', '--scale', '0.02', '--duration', '20', '--batch', batch];
    const [human, json, cpu] = await Promise.all([runCli([...args, '--backend', 'workers', '--workers', '2']), runCli([...args, '--backend', 'workers', '--workers', '2', '--json']), runCli([...args, '--backend', 'cpu', '--json'])]);
    assert.equal(human.code, 0, human.stderr);
    assert.match(human.stdout, /^\s+delivery order\s+delay /m);
    assert.equal(JSON.parse(json.stdout).deliveryOrder, 'delay');
    assert.equal(JSON.parse(json.stdout).spikeHash, JSON.parse(cpu.stdout).spikeHash);
    // Where each worker thread's loop went, one entry per thread; none off the workers backend.
    const times = JSON.parse(json.stdout).threadTimes as { integrateMs: number; deliverMs: number; waitMs: number }[];
    assert.equal(times.length, 2);
    for (const t of times) assert.ok(t.integrateMs > 0 && t.deliverMs > 0 && t.waitMs >= 0, JSON.stringify(t));
    assert.equal(JSON.parse(cpu.stdout).threadTimes, undefined);
    // --delivery-order overrides the choice; on another backend it is refused, naming the flag, before anything is built.
    const [forced, refused] = await Promise.all([runCli([...args, '--backend', 'workers', '--workers', '2', '--delivery-order', 'target', '--json']), runCli([...args, '--backend', 'cpu', '--delivery-order', 'delay'])]);
    assert.equal(JSON.parse(forced.stdout).deliveryOrder, 'target');
    assert.equal(JSON.parse(forced.stdout).spikeHash, JSON.parse(cpu.stdout).spikeHash);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /--delivery-order: applies to the workers backend only \(the backend is cpu\)/);
  });
});
