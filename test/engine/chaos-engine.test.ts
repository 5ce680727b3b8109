import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosEngine, journalPassed } from '../../src/engine/chaos-engine.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { recoveryScore } from '../../src/engine/scores.js';
import { InputError } from '../../src/util/errors.js';
import { outputFs } from '../../src/io/output-fs.js';
import { JOURNAL_FORMAT_VERSION } from '../../src/engine/journal.js';
import { summaryMarkdown } from '../../src/report/summary-md.js';
import { reportHtml } from '../../src/report/report-html.js';
import { tempDir } from '../helpers/temp-dir.js';

// Spike recordings go here (the engine's default is a new folder under the OS temp dir that nobody removes).
const recordDir = tempDir('neurochaos-recordings-');

const base = {
  title: 'engine test',
  seed: 5,
  model: { name: 'cuba', scale: 0.5 },
  backend: 'cpu',
  defaults: { warmupMs: 50, baselineMs: 200, monitorIntervalMs: 20, holdMs: 40 },
};

describe('ChaosEngine', () => {
  it('runs the lifecycle and journals every step; scores stay in [0, 1]', async () => {
    const scenario = validateScenario({
      ...base,
      experiments: [
        { id: 'storm', fault: { kind: 'spike-storm', target: { percent: 20 }, rateHz: 2000, amplitudePa: 200, durationMs: 60 }, observationMs: 100, recoveryTimeoutMs: 400 },
        { id: 'disk', fault: { kind: 'disk-fault', latencyMs: 1 }, observationMs: 40, recoveryTimeoutMs: 200 },
      ],
    });
    const j = await new ChaosEngine(scenario, { recordDir }).run();
    assert.equal(j.experiments.length, 2);
    for (const e of j.experiments) {
      assert.deepEqual(e.steps.slice(0, 7).map((s) => s.name), ['warmup', 'baseline', 'hypothesis-before', 'inject', 'observe', 'rollback', 'recovery']);
      // A completed experiment measured every simulated part: none is null, each in [0, 1]; throughput is advisory (performanceImpact), never scored.
      const { performance, ...measured } = e.scores;
      assert.equal(performance, null);
      for (const v of Object.values(measured)) assert.ok(typeof v === 'number' && v >= 0 && v <= 1, `score ${v}`);
      assert.ok(e.performanceImpact!.stepsPerSecond.baselineMean! > 0);
      assert.ok(e.samples.some((s) => s.phase === 'baseline') && e.samples.some((s) => s.phase === 'fault'));
      assert.ok(Object.keys(e.bands).includes('rate.E'));
    }
    const storm = j.experiments[0];
    assert.ok(storm.fault.targets.neurons!.length > 0, 'targets recorded');
    assert.equal(outputFs.faulted, false, 'the disk fault was rolled back');
    assert.equal(typeof journalPassed(j), 'boolean');
  });

  it('keeps controls in a batch and compares treated against them', async () => {
    const scenario = validateScenario({
      ...base,
      batch: 2,
      experiments: [{ id: 'dead', fault: { kind: 'neuron-fault', target: { percent: 50 }, mode: 'saturated' }, observationMs: 100, recoveryTimeoutMs: 200 }],
    });
    const j = await new ChaosEngine(scenario, { recordDir }).run();
    const c = j.experiments[0].comparison!;
    assert.deepEqual(c.controls, [0]);
    assert.deepEqual(c.treated, [1]);
    assert.ok(c.meanDifferenceHz > 0 && c.significant, JSON.stringify(c));
    assert.ok(c.ci95[0] <= c.meanDifferenceHz && c.meanDifferenceHz <= c.ci95[1]);
  });

  it('is interrupted by its signal mid-injection: faults rolled back, journal marked interrupted', async () => {
    const controller = new AbortController();
    const scenario = validateScenario({ ...base, experiments: [{ id: 'long', fault: { kind: 'disk-fault', full: true }, observationMs: 100000, recoveryTimeoutMs: 1000 }] });
    const engine = new ChaosEngine(scenario, { signal: controller.signal, recordDir });
    engine.on('progress', (p) => {
      if (p.phase === 'fault') controller.abort();
    });
    const j = await engine.run();
    assert.equal(j.status, 'interrupted');
    assert.equal(j.experiments[0].status, 'interrupted');
    assert.ok(j.experiments[0].steps.some((s) => s.name === 'final-rollback' && s.status === 'succeeded'));
    assert.equal(outputFs.faulted, false);
  });

  it('is interrupted by its signal during a network build: that experiment and the rest journaled as not run, the journal marked interrupted', async () => {
    const controller = new AbortController();
    const scenario = validateScenario({ ...base, model: { name: 'microcircuit', scale: 0.1 }, experiments: [
      { id: 'first', fault: { kind: 'disk-fault', latencyMs: 1 }, observationMs: 20, recoveryTimeoutMs: 100 },
      { id: 'second', fault: { kind: 'disk-fault', latencyMs: 1 }, observationMs: 20, recoveryTimeoutMs: 100 },
    ] });
    const engine = new ChaosEngine(scenario, { signal: controller.signal, recordDir });
    const ended: string[] = [];
    engine.on('experiment-start', () => {
      // Fires at the build's first turn of the event loop, some 20 ms into a build of about 1 s.
      setTimeout(() => controller.abort(), 0);
    });
    engine.on('experiment-end', ({ record }) => ended.push(record.id));
    const j = await engine.run();
    assert.equal(j.status, 'interrupted');
    assert.deepEqual(j.experiments.map((e) => [e.id, e.status]), [['first', 'not-run'], ['second', 'not-run']]);
    assert.match(j.experiments[0].abortReason ?? '', /interrupted while its network was being built/);
    assert.match(j.experiments[1].abortReason ?? '', /interrupted before this experiment started/);
    assert.deepEqual(ended, ['first'], 'the experiment that started also ended, for listeners');
    assert.equal(outputFs.faulted, false);
  });

  it('is interrupted by its signal while it resolves the targets (its first build): every experiment journaled as not started', async () => {
    const controller = new AbortController();
    const scenario = validateScenario({ ...base, model: { name: 'microcircuit', scale: 0.1 }, experiments: [
      { id: 'first', fault: { kind: 'disk-fault', latencyMs: 1 }, observationMs: 20, recoveryTimeoutMs: 100 },
    ] });
    const engine = new ChaosEngine(scenario, { signal: controller.signal, recordDir });
    let started = 0;
    engine.on('experiment-start', () => started++);
    // Fires at the planning build's first turn of the event loop.
    setTimeout(() => controller.abort(), 0);
    const j = await engine.run();
    assert.equal(j.status, 'interrupted');
    assert.deepEqual(j.experiments.map((e) => [e.id, e.status, e.abortReason]), [['first', 'not-run', 'not run: the run was interrupted before this experiment started']]);
    assert.equal(started, 0);
  });

  it('validates scenarios with the field named; plans without injecting', () => {
    assert.throws(() => validateScenario({ ...base, experiments: [] }), (e: unknown) => e instanceof InputError && e.field === 'scenario.experiments');
    assert.throws(() => validateScenario({ ...base, experiments: [{ id: 'x', fault: { kind: 'spike-storm' }, observationMs: -1, recoveryTimeoutMs: 1 }] }), (e: unknown) => e instanceof InputError && e.field === 'scenario.experiments[0].observationMs');
    const bad = validateScenario({ ...base, experiments: [{ id: 'x', fault: { kind: 'spike-storm', rateHz: 20000, amplitude: 1 }, observationMs: 1, recoveryTimeoutMs: 1 }] });
    const plan = () => new ChaosEngine(bad).plan();
    assert.doesNotThrow(plan, 'the rate ceiling depends on dt and is checked at injection');
    const badKind = validateScenario({ ...base, experiments: [{ id: 'x', fault: { kind: 'meteor' }, observationMs: 1, recoveryTimeoutMs: 1 }] });
    assert.throws(() => new ChaosEngine(badKind).plan(), (e: unknown) => e instanceof InputError && e.field === 'experiments[0].fault.kind');
    assert.throws(() => new ChaosEngine(bad, { timeScale: 0 }), (e: unknown) => e instanceof InputError && e.field === 'timeScale');
  });

  it('recovery score is 1 within the SLA, SLA / time after it, 0 when never, and never increases with time', () => {
    assert.equal(recoveryScore(100, 30000), 1);
    assert.equal(recoveryScore(60000, 30000), 0.5);
    assert.equal(recoveryScore(null, 30000), 0);
    let last = 1;
    for (let t = 0; t < 200000; t += 7919) {
      const s = recoveryScore(t, 30000);
      assert.ok(s <= last && s >= 0 && s <= 1);
      last = s;
    }
  });
});

describe('ChaosEngine safety', () => {
  it('the circuit breaker aborts when non-finite state spreads, and still rolls back', async () => {
    const scenario = validateScenario({
      ...base,
      abort: { maxNonFiniteFraction: 0.01, consecutive: 2 },
      defences: { guards: false },
      experiments: [{ id: 'nan', fault: { kind: 'weight-corruption', fraction: 0.5, mode: 'nan' }, observationMs: 400, recoveryTimeoutMs: 200 }],
    });
    const j = await new ChaosEngine(scenario, { recordDir }).run();
    const e = j.experiments[0];
    assert.equal(e.status, 'aborted');
    assert.equal(j.status, 'aborted');
    assert.match(e.abortReason!, /circuit breaker: 2 failing samples in a row/);
    assert.ok(e.steps.some((s) => s.name === 'final-rollback' && s.status === 'succeeded'));
    assert.ok(j.report.criticalVulnerabilities.some((c) => /non-finite state escaped/.test(c)));
    const guarded = await new ChaosEngine(validateScenario({ ...scenario, defences: { guards: true } }), { recordDir }).run();
    assert.notEqual(guarded.experiments[0].status, 'aborted', 'with guards on, NaN inputs are dropped and the breaker never trips');
    assert.ok(guarded.experiments[0].samples.every((s) => s.nonFinite === 0));
  });

  it("rollback 'never' leaves the fault in through recovery (rolled back only at the end)", async () => {
    const scenario = validateScenario({
      ...base,
      experiments: [{ id: 'storm', rollback: 'never', fault: { kind: 'spike-storm', rateHz: 5000, amplitudePa: 300 }, observationMs: 60, recoveryTimeoutMs: 100 }],
    });
    const j = await new ChaosEngine(scenario, { recordDir }).run();
    const e = j.experiments[0];
    assert.equal(e.steps.find((s) => s.name === 'rollback')!.status, 'skipped');
    assert.equal(e.fault.stoppedAtMs, null);
    assert.equal(e.recovery.recovered, false);
    assert.ok(e.steps.some((s) => s.name === 'final-rollback'));
  });

  it('a dry run resolves the same targets the run injects', async () => {
    const scenario = validateScenario({
      ...base,
      experiments: [{ id: 'dead', fault: { kind: 'neuron-fault', target: { percent: 5 }, mode: 'dead' }, observationMs: 40, recoveryTimeoutMs: 100 }],
    });
    const engine = new ChaosEngine(scenario, { recordDir });
    const planned = engine.plan(true)[0].targets as { neurons: number[] };
    const j = await engine.run();
    assert.deepEqual(j.experiments[0].fault.targets.neurons, planned.neurons);
    assert.ok(j.experiments[0].cvIsi.baseline! > 0);
  });
});

describe('ChaosEngine defences', () => {
  it('journals what the scrubber did: with scrubbing on, corruption is detected within a pass and repaired; off, nothing is', async () => {
    const make = (scrub: boolean) =>
      validateScenario({
        ...base,
        defences: { scrub, scrubEveryMs: 5 },
        experiments: [{ id: 'flip', fault: { kind: 'weight-corruption', fraction: 0.01, mode: 'bit-flip' }, observationMs: 60, recoveryTimeoutMs: 100 }],
      });
    const on = (await new ChaosEngine(make(true), { recordDir }).run()).experiments[0].defences;
    assert.equal(on.scrub, true);
    assert.ok(on.corruptionsInjected > 0);
    assert.equal(on.corruptionsDetected, on.corruptionsInjected, 'every flipped synapse found');
    assert.equal(on.corruptionsRepaired, on.corruptionsInjected);
    assert.ok(on.detectionLatencySteps !== null && on.detectionLatencySteps <= 50, `latency ${on.detectionLatencySteps}`);
    const off = (await new ChaosEngine(make(false), { recordDir }).run()).experiments[0].defences;
    assert.equal(off.scrub, false);
    assert.equal(off.corruptionsDetected, 0);
    assert.equal(off.detectionLatencySteps, null);
  });
});

describe('ChaosEngine alerts', () => {
  it('raise alerts with timestamps after an injection, count false alarms on the baseline, and report the latency', async () => {
    const scenario = validateScenario({
      ...base,
      defences: { scrubEveryMs: 5 },
      experiments: [
        { id: 'storm', fault: { kind: 'spike-storm', target: { percent: 50 }, rateHz: 10000, train: 'regular', amplitudePa: 500, durationMs: 60 }, observationMs: 80, recoveryTimeoutMs: 200 },
        { id: 'flip', fault: { kind: 'weight-corruption', fraction: 0.01, mode: 'exponent-flip' }, observationMs: 40, recoveryTimeoutMs: 100 },
      ],
    });
    const engine = new ChaosEngine(scenario, { recordDir });
    const seen: string[] = [];
    engine.on('alert', (a) => seen.push(`${a.id}:${a.alert.rule}`));
    const j = await engine.run();
    const [storm, flip] = j.experiments;
    assert.ok(storm.defences.alertsFired > 0);
    assert.ok(storm.alerts.some((a) => a.rule === 'rate-deviation'));
    assert.ok(storm.defences.alertLatencyMs !== null && storm.defences.alertLatencyMs >= 0 && storm.defences.alertLatencyMs <= 20, `latency ${storm.defences.alertLatencyMs}`);
    assert.ok(Number.isInteger(storm.defences.falseAlarms) && storm.defences.falseAlarms >= 0);
    assert.ok(flip.alerts.some((a) => a.rule === 'weight-integrity'), 'the scrubber finding is an alert');
    assert.ok(seen.includes('storm:rate-deviation'));
    for (const a of storm.alerts) assert.ok(a.tMs > storm.fault.injectedAtMs! && a.phase !== 'baseline');
  });
});

describe('ChaosEngine: what was not measured', () => {
  it('an experiment interrupted in its warm-up has null scores and does not count in the run overall; the ones after it are not-run', async () => {
    const controller = new AbortController();
    const scenario = validateScenario({
      ...base,
      defences: { recording: 'off' },
      experiments: [
        { id: 'first', fault: { kind: 'neuron-fault', target: { percent: 10 }, mode: 'dead' }, observationMs: 40, recoveryTimeoutMs: 100 },
        { id: 'second', fault: { kind: 'neuron-fault', target: { percent: 10 }, mode: 'dead' }, observationMs: 40, recoveryTimeoutMs: 100 },
        { id: 'third', fault: { kind: 'spike-storm', rateHz: 1000, amplitudePa: 50 }, observationMs: 40, recoveryTimeoutMs: 100 },
      ],
    });
    const engine = new ChaosEngine(scenario, { signal: controller.signal });
    // In the second experiment's warm-up: an abort at its start would now stop its network build (not run).
    engine.on('progress', (p) => {
      if (p.index === 1 && p.phase === 'warmup') controller.abort();
    });
    const j = await engine.run();
    assert.equal(j.formatVersion, JOURNAL_FORMAT_VERSION);
    assert.equal(j.status, 'interrupted');
    const [first, second, third] = j.experiments;
    assert.equal(j.experiments.length, 3);
    assert.ok(first.scores.overall !== null);
    assert.equal(second.status, 'interrupted');
    assert.equal(second.verdict.outcome, 'interrupted');
    assert.deepEqual(second.steps.map((s) => s.name), ['warmup', 'final-rollback']);
    assert.deepEqual(second.scores, { health: null, performance: null, integrity: null, recovery: null, overall: null }, 'nothing measured, nothing scored (it used to read 1, 1, 1, 0.75)');
    assert.deepEqual(second.hypothesis, { before: null, during: null, after: null });
    assert.equal(second.fault.injectedAtMs, null);
    assert.equal(third.status, 'not-run');
    assert.equal(third.verdict.outcome, 'not-run');
    assert.equal(third.scores.overall, null);
    assert.equal(j.report.overall, first.scores.overall, 'the run overall is the mean over measured experiments only');
    assert.equal(journalPassed(j), false);
    assert.ok(!j.report.criticalVulnerabilities.some((c) => c.startsWith('third')), 'a not-run experiment is no finding');
    const md = summaryMarkdown(j);
    assert.match(md, /\| second \| neuron-fault \| interrupted \| interrupted \| n\/a \/ n\/a \/ n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \| n\/a \|/);
    assert.match(md, /\| third \| spike-storm \| not-run \| not-run \|/);
    const html = reportHtml(j, j.scenario.neurons, j.scenario.dtMs);
    assert.match(html, /<td>second<\/td><td>neuron-fault<\/td><td class="bad">interrupted<\/td><td class="bad">interrupted<\/td><td>n\/a<\/td><td>n\/a<\/td><td>n\/a<\/td><td>n\/a<\/td><td>n\/a<\/td><td>n\/a<\/td><td><b>n\/a<\/b><\/td>/);
    assert.doesNotMatch(html, /NaN|undefined/);
  });

  it('journalPassed needs the steady state before and during the fault as well as after it', async () => {
    const scenario = validateScenario({ ...base, defences: { recording: 'off' }, experiments: [{ id: 'storm', fault: { kind: 'spike-storm', target: { percent: 50 }, rateHz: 10000, train: 'regular', amplitudePa: 300, durationMs: 60 }, observationMs: 80, recoveryTimeoutMs: 200 }] });
    const j = await new ChaosEngine(scenario).run();
    const e = j.experiments[0];
    assert.equal(e.hypothesis.before, true);
    assert.equal(e.hypothesis.after, true, 'it recovered');
    assert.equal(e.recovery.slaMet, true);
    // Three 20 ms samples of storm: a departure needs two of them far outside the unfaulted column's range (steady-state-during.ts).
    assert.equal(e.hypothesis.during, false, 'a storm of this size moves the rates far outside their unfaulted range');
    assert.match(e.verdict.reasons.join('; '), /the steady state did not hold while the fault acted: rate\.\w+ was outside/);
    assert.equal(e.verdict.outcome, 'fail');
    assert.equal(journalPassed(j), false, 'after held and the SLA was met, but the steady state broke during the fault');
  });
});
