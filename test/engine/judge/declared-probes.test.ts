import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosEngine, journalPassed } from '../../../src/engine/chaos-engine.js';
import type { Journal } from '../../../src/engine/journal.js';
import { validateScenario } from '../../../src/engine/load-scenario.js';
import { experimentVerdict } from '../../../src/engine/verdict.js';
import { TINY_MODEL } from '../../cli/scenario-fixtures.js';

type Probes = Record<string, unknown>[] | undefined;

/** The tiny model (E 160 / I 40), paired controls, half of E dead for 400 ms of a 400 ms observation. */
const run = (probes: Probes, percent = 50, experimentProbes?: Probes) =>
  new ChaosEngine(
    validateScenario({
      title: 'declared probes',
      seed: 3,
      model: { name: TINY_MODEL },
      backend: 'cpu',
      defaults: { warmupMs: 50, baselineMs: 400, holdMs: 20 },
      defences: { recording: 'off' },
      ...(probes ? { hypothesis: { probes } } : {}),
      experiments: [{ id: 'dead', fault: { kind: 'neuron-fault', mode: 'dead', target: { populations: ['E'], percent }, durationMs: 400 }, observationMs: 400, recoveryTimeoutMs: 300, ...(experimentProbes ? { hypothesis: { probes: experimentProbes } } : {}) }],
    }),
  ).run();

const verdictOf = (j: Journal, id: string, when: string) => j.experiments[0].judge!.probes.find((p) => p.id === id && p.when === when)!;

describe('declared probes: each judged at each of its whens', () => {
  it('rate, cv-isi, spike-distance, non-finite and synchrony over their spans; a failing one fails the verdict naming it', async () => {
    const j = await run([
      { id: 'e-rate', metric: 'rate', population: 'E', when: ['before', 'during', 'continuous'] },
      { id: 'e-cv', metric: 'cv-isi', population: 'E', when: 'during' },
      { id: 'e-timing', metric: 'spike-distance', population: 'E', when: ['before', 'during'], tauMs: 5 },
      { id: 'finite', metric: 'non-finite', when: 'continuous' },
      { id: 'i-sync', metric: 'synchrony', population: 'I', when: 'during', tolerance: 5 },
    ]);
    const e = j.experiments[0];
    // Only the declared probes (no defaults beside them), one verdict per (probe, when).
    assert.deepEqual(e.judge!.probes.map((p) => `${p.id}@${p.when}`), ['e-rate@before', 'e-rate@during', 'e-rate@continuous', 'e-cv@during', 'e-timing@before', 'e-timing@during', 'finite@continuous', 'i-sync@during']);
    assert.equal(e.judge!.controls, 'replicas');
    // Before injection paired replicas are identical: no change at all, distance 0.
    const before = verdictOf(j, 'e-rate', 'before');
    assert.deepEqual([before.outcome, before.effect, before.controlSpanMs, before.treatedSpanMs], ['pass', 0, [50, 450], [50, 450]]);
    const timingBefore = verdictOf(j, 'e-timing', 'before');
    assert.deepEqual([timingBefore.outcome, timingBefore.treatedMean], ['pass', 0]);
    // During: half of E silent.
    const during = verdictOf(j, 'e-rate', 'during');
    assert.deepEqual(during.treatedSpanMs, [450, 850]);
    assert.equal(during.outcome, 'fail', during.reason);
    assert.ok(during.effect! < -0.4 && during.effect! > -0.65, `effect ${during.effect}`);
    assert.ok(during.effectCi95![1] < -0.3 && during.pValue! < 0.05);
    assert.equal(verdictOf(j, 'e-rate', 'continuous').treatedSpanMs[0], 450);
    assert.ok(verdictOf(j, 'e-rate', 'continuous').treatedSpanMs[1] > 850);
    // The dead half never fires again: its trains are as far from the control's as trains can be.
    const timing = verdictOf(j, 'e-timing', 'during');
    assert.equal(timing.outcome, 'fail', timing.reason);
    assert.ok(timing.effect! > 0.5 && timing.effectCi95![0] > 0.5, `distance ${timing.effect}`);
    assert.equal(timing.tolerance, 0.5);
    assert.match(timing.reason, /tau 5 ms/);
    assert.equal(verdictOf(j, 'finite', 'continuous').outcome, 'pass');
    // A tolerance of 500%: a change of synchrony that is not that large passes.
    assert.equal(verdictOf(j, 'i-sync', 'during').outcome, 'pass', verdictOf(j, 'i-sync', 'during').reason);
    const cv = verdictOf(j, 'e-cv', 'during');
    assert.ok(cv.controlWindows >= 3 && cv.controlValues.every((x) => x > 0 && x < 3), JSON.stringify(cv.controlValues));
    assert.equal(e.verdict.outcome, 'fail');
    assert.ok(e.verdict.reasons.some((r) => /^probe e-rate failed during the fault \(450-850 ms, against control replicas\): rate: changed by -/.test(r)), e.verdict.reasons.join('\n'));
    assert.ok(e.verdict.reasons.some((r) => /^probe e-timing failed during the fault \(450-850 ms, against control replicas\): spike-distance: spike timing diverged/.test(r)));
    assert.ok(e.verdict.reasons.some((r) => /^probe e-rate failed from injection to the end/.test(r)));
  });

  it('default probes, half of E dead: active-fraction.E fails during (about half of the reliably active neurons silent), passes before, and health reads it', async () => {
    const j = await run(undefined, 50);
    const e = j.experiments[0];
    const during = verdictOf(j, 'active-fraction.E', 'during');
    assert.equal(during.outcome, 'fail', during.reason);
    assert.ok(during.effect! < -0.35 && during.effect! > -0.65, `effect ${during.effect}`);
    assert.ok(during.pAdjusted! < 0.05 && during.pAdjusted! >= during.pValue!, `p ${during.pValue}, adjusted ${during.pAdjusted}`);
    assert.match(during.reason, /reliably active neurons, \d+ fell silent/);
    assert.equal(verdictOf(j, 'active-fraction.E', 'before').outcome, 'pass');
    assert.ok(e.scores.health! < 1, `health ${e.scores.health}`);
    assert.ok(e.verdict.reasons.some((r) => r.startsWith('probe active-fraction.E failed during the fault') && r.endsWith('; 1 paired trial')), e.verdict.reasons.join('\n'));
  });

  it("an experiment's own hypothesis replaces the scenario's; the default probes are every population's rate and active fraction, synchrony and non-finite, before, during and after", async () => {
    const j = await run([{ id: 'scenario-level', metric: 'rate' }], 0.625, [{ id: 'own', metric: 'rate', population: 'I', when: 'during' }]);
    assert.deepEqual(j.experiments[0].judge!.probes.map((p) => `${p.id}@${p.when}`), ['own@during']);
    const d = await run(undefined, 0.625);
    assert.deepEqual(
      d.experiments[0].judge!.probes.map((p) => `${p.id}@${p.when}`),
      ['rate.E', 'rate.I', 'active-fraction.E', 'active-fraction.I', 'synchrony', 'non-finite'].flatMap((id) => ['before', 'during', 'after'].map((w) => `${id}@${w}`)),
    );
  });

  it('wall-clock probes are advisory: reported in performanceImpact, never in the verdict, a score, a hypothesis or the exit code', async () => {
    const plain = await run(undefined);
    const wall = [
      { id: 'tp', metric: 'throughput', when: ['during', 'after'], tolerance: 0 },
      { id: 'lat', metric: 'step-latency', when: 'continuous', tolerance: 0 },
      { id: 'mem', metric: 'memory', when: 'before' },
    ];
    const advised = await run(wall);
    const judged = (j: Journal) => JSON.stringify(j.experiments.map((e) => ({ verdict: e.verdict, scores: e.scores, hypothesis: e.hypothesis, judge: e.judge })));
    // Declaring only wall-clock probes keeps the default probes: the judged part is byte-identical.
    assert.equal(judged(advised), judged(plain));
    assert.equal(journalPassed(advised), journalPassed(plain));
    assert.equal(plain.experiments[0].performanceImpact!.probes, undefined);
    const results = advised.experiments[0].performanceImpact!.probes!;
    assert.deepEqual(results.map((p) => `${p.id}@${p.when}:${p.field}`), ['tp@during:stepsPerSecond', 'tp@after:stepsPerSecond', 'lat@continuous:stepLatencyMs', 'mem@before:memoryBytes']);
    for (const p of results) {
      assert.equal(p.advisory, true);
      assert.ok(['pass', 'fail', 'no-data'].includes(p.outcome));
      assert.ok(p.baseline! > 0 && p.noiseCv !== null && p.noiseCv >= 0, `${p.id}: value with its noise`);
    }
    // Every advisory probe failing changes no verdict and no exit code: the verdict does not read them.
    const e = advised.experiments[0];
    const failing = { ...e, performanceImpact: { ...e.performanceImpact!, probes: results.map((p) => ({ ...p, outcome: 'fail' as const })) } };
    assert.deepEqual(experimentVerdict(failing), e.verdict);
    const passingRun: Journal = { ...advised, status: 'completed', experiments: [{ ...failing, status: 'completed', verdict: { outcome: 'pass', reasons: [] } }] };
    assert.equal(journalPassed(passingRun), true);
  });

  it('bad probes are refused at plan time naming the field', () => {
    const plan = (probes: unknown[], model: string = TINY_MODEL) => () => new ChaosEngine(validateScenario({ title: 't', model: { name: model }, backend: 'cpu', hypothesis: { probes }, experiments: [{ id: 'x', fault: { kind: 'neuron-fault', mode: 'dead', target: { populations: ['E'], percent: 10 } }, observationMs: 10, recoveryTimeoutMs: 10 }] })).plan();
    assert.throws(plan([{ id: 'a', metric: 'rate', population: 'L23E' }]), /hypothesis\.probes\[0\]\.population: must be a population of the model: E, I \(got L23E\)/);
    assert.throws(plan([{ id: 'a', metric: 'rate' }, { id: 'a', metric: 'synchrony' }]), /hypothesis\.probes\[1\]\.id: must be unique/);
    assert.throws(plan([{ id: 'a', metric: 'non-finite', population: 'E' }]), /hypothesis\.probes\[0\]\.population: is not taken by metric non-finite/);
    assert.throws(plan([{ id: 'a', metric: 'rate', tauMs: 5 }]), /hypothesis\.probes\[0\]\.tauMs: is taken by metric spike-distance only/);
    assert.throws(plan([{ id: 'a', metric: 'task-accuracy' }]), /hypothesis\.probes\[0\]\.task\.inputPopulations: is needed: the model lacks the default L4E, L4I/);
    assert.throws(plan([{ id: 'a', metric: 'latency' }]), /hypothesis\.probes\[0\]\.metric/);
    assert.throws(plan([{ id: 'a', metric: 'rate', when: 'sometimes' }]), /hypothesis\.probes\[0\]\.when/);
    assert.throws(plan([{ id: 'a', metric: 'active-fraction', tolerance: 1.5 }]), /hypothesis\.probes\[0\]\.tolerance: must be in \[0, 1\] for metric active-fraction/);
  });

  it('active-fraction needs paired twins: declared against baseline controls it is refused naming judge.controls; the defaults leave it out', () => {
    const scenario = (judge: Record<string, unknown>, experimentJudge?: Record<string, unknown>, probes?: unknown[]) =>
      new ChaosEngine(validateScenario({ title: 't', model: { name: TINY_MODEL }, backend: 'cpu', judge, ...(probes ? { hypothesis: { probes } } : {}), experiments: [{ id: 'x', fault: { kind: 'neuron-fault', mode: 'dead', target: { populations: ['E'], percent: 10 } }, observationMs: 10, recoveryTimeoutMs: 10, ...(experimentJudge ? { judge: experimentJudge } : {}) }] }));
    assert.throws(() => scenario({ controls: 'baseline' }, undefined, [{ id: 'rate', metric: 'rate' }, { id: 'af', metric: 'active-fraction' }]).plan(), /hypothesis\.probes\[1\]\.metric: active-fraction compares each neuron with its paired twin: it needs judge\.controls paired \(judge\.controls is baseline\)/);
    assert.throws(() => scenario({}, { controls: 'baseline' }, [{ id: 'af', metric: 'active-fraction' }]).plan(), /\(experiments\[0\]\.judge\.controls is baseline\)/);
    // Default probes against the baseline: rate, synchrony and non-finite only.
    assert.doesNotThrow(() => scenario({ controls: 'baseline' }).plan());
  });
});
