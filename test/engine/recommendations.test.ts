import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DefenceFigures, ExperimentRecord } from '../../src/engine/journal.js';
import type { ProbeVerdict } from '../../src/engine/judge/probe-types.js';
import type { WallClockProbeResult } from '../../src/engine/judge/performance-impact.js';
import type { MetricSample } from '../../src/engine/metrics.js';
import { recommendationsFrom, REPLAY_ADVICE_STEPS } from '../../src/engine/recommendations.js';
import { buildResilienceReport } from '../../src/engine/resilience-report.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { TINY_MODEL } from '../cli/scenario-fixtures.js';

const defences = (d: Partial<DefenceFigures> = {}): DefenceFigures => ({ guards: true, scrub: true, corruptionsInjected: 0, corruptionsDetected: 0, corruptionsRepaired: 0, detectionLatencySteps: null, nonFiniteContained: 0, quarantinedNeurons: 0, inputsCapped: 0, allocationFailures: 0, alertsFired: 0, falseAlarms: 0, alertLatencyMs: null, recording: 'durable', spikesLost: 0, spikesDuplicated: 0, degradations: 0, ...d });

const probe = (id: string, when: ProbeVerdict['when'], outcome: ProbeVerdict['outcome'], effect: number | null, metric: ProbeVerdict['metric'] = 'rate'): ProbeVerdict => ({ id, metric, when, tolerance: 0.1, controlSpanMs: [0, 100], treatedSpanMs: [100, 200], windowMs: 20, controlWindows: 5, treatedWindows: 5, controlValues: [], treatedValues: [], expectedSpikesPerWindow: 200, outcome, controlMean: 1, treatedMean: 1 + (effect ?? 0), effect, effectCi95: null, pValue: 0.001, reason: 'r' });

const sample = (phase: MetricSample['phase'], nonFinite = 0, workerRestarts = 0): MetricSample => ({ tMs: 0, wallMs: 0, phase, ratesHz: {}, synchrony: 1, stepsPerSecond: 1, stepLatencyMs: 1, workerRestarts, memoryBytes: 1, nonFinite });

/** A completed, recovered experiment that found nothing, with the parts a test sets. */
function record(o: { id?: string; kind?: string; spec?: unknown; defences?: Partial<DefenceFigures>; probes?: ProbeVerdict[]; samples?: MetricSample[]; recovered?: boolean; slaMet?: boolean; simMs?: number; status?: ExperimentRecord['status']; wallClock?: WallClockProbeResult[] } = {}): ExperimentRecord {
  const recovered = o.recovered ?? true;
  return {
    id: o.id ?? 'exp',
    status: o.status ?? 'completed',
    fault: { id: 'f', kind: o.kind ?? 'neuron-fault', spec: o.spec ?? { kind: o.kind ?? 'neuron-fault' }, targets: {}, injectedAtMs: 100, stoppedAtMs: null, endedAtMs: 200 },
    durations: { warmupMs: 0, baselineMs: 100, observationMs: 100, recoveryTimeoutMs: 500, holdMs: 20, slaMs: 300, monitorIntervalMs: 10 },
    samples: o.samples ?? [sample('baseline'), sample('fault'), sample('recovery')],
    recovery: { recovered, simMs: recovered ? (o.simMs ?? 10) : null, wallMs: null, slaMet: o.slaMet ?? recovered },
    defences: defences(o.defences),
    scores: { health: 1, performance: null, integrity: 1, recovery: recovered ? 1 : 0, overall: 1 },
    judge: { controls: 'replicas', minEffect: 0.1, alpha: 0.05, minExpectedSpikes: 200, controlSpanMs: [100, 200], treatedSpanMs: [100, 200], probes: o.probes ?? [] },
    ...(o.wallClock ? { performanceImpact: { probes: o.wallClock } } : {}),
  } as unknown as ExperimentRecord;
}

const rules = (rs: ExperimentRecord[]) => recommendationsFrom(rs).map((r) => r.rule);

describe('recommendations from findings, each citing its evidence', () => {
  it('an experiment that found nothing gets no recommendation, whatever its kind', () => {
    for (const kind of ['weight-corruption', 'disk-fault', 'worker-crash', 'cascading-failure', 'allocator-pressure', 'spike-storm']) assert.deepEqual(rules([record({ kind })]), [], kind);
  });

  it('scrubbing: only when weights were corrupted with scrubbing off and a probe failed', () => {
    const fired = recommendationsFrom([record({ id: 'wc', kind: 'weight-corruption', defences: { scrub: false, corruptionsInjected: 37 }, probes: [probe('rate.L23E', 'during', 'fail', -0.234), probe('rate.L4E', 'during', 'pass', 0.01)] })]);
    assert.deepEqual(fired.map((r) => r.rule), ['scrub-weights']);
    assert.match(fired[0].text, /defences\.scrub: true/);
    assert.deepEqual(fired[0].evidence, [
      { experiment: 'wc', probe: null, value: '37 synapses corrupted with scrubbing off' },
      { experiment: 'wc', probe: 'rate.L23E@during', value: 'rate -23.4% (p = 0.0010)' },
    ]);
    // Corrupted with scrubbing off, but no probe failed: the column tolerated it, nothing to advise.
    assert.deepEqual(rules([record({ kind: 'weight-corruption', defences: { scrub: false, corruptionsInjected: 37 }, probes: [probe('rate.L23E', 'during', 'pass', -0.02)] })]), []);
    // A probe failed with scrubbing on: scrub sooner, not "turn it on".
    assert.deepEqual(rules([record({ kind: 'weight-corruption', defences: { scrub: true, corruptionsInjected: 37, detectionLatencySteps: 90 }, probes: [probe('rate.L23E', 'during', 'fail', -0.3)] })]), ['scrub-sooner']);
    // A probe failed but nothing was corrupted (another kind): no scrubbing advice.
    assert.deepEqual(rules([record({ kind: 'neuron-fault', defences: { scrub: false }, probes: [probe('rate.E', 'during', 'fail', -0.5)] })]), []);
  });

  it('durable recording: only when spikes were lost; "Record spikes durably" never when the recording was durable with 0 spikes lost', () => {
    const raw = recommendationsFrom([record({ id: 'disk', kind: 'disk-fault', defences: { recording: 'raw', spikesLost: 1234 } })]);
    assert.deepEqual(raw.map((r) => r.rule), ['durable-recording']);
    assert.deepEqual(raw[0].evidence, [{ experiment: 'disk', probe: null, value: '1234 spikes lost and 0 duplicated by the raw recording' }]);
    const durableNothingLost = buildResilienceReport([record({ kind: 'disk-fault', defences: { recording: 'durable', spikesLost: 0 } })]);
    assert.ok(!durableNothingLost.recommendations.some((t) => /Record spikes durably/.test(t)), durableNothingLost.recommendations.join('\n'));
    assert.deepEqual(durableNothingLost.recommendations, []);
    // Durable, yet spikes lost: more room for the backlog, not "record durably".
    assert.deepEqual(rules([record({ kind: 'disk-fault', defences: { recording: 'durable', spikesLost: 7 } })]), ['recording-backlog']);
  });

  it('checkpoint interval: only when a recovery replayed many steps or missed the SLA', () => {
    const many = recommendationsFrom([record({ id: 'crash', kind: 'worker-crash', defences: { workerReplays: 2, stepsReplayed: 2 * REPLAY_ADVICE_STEPS + 200 } })]);
    assert.deepEqual(many.map((r) => r.rule), ['checkpoint-interval']);
    assert.match(many[0].evidence[0].value, /^1200 steps replayed after 2 lost worker\(s\) \(600 per loss/);
    // Few steps replayed and the SLA met: nothing to shorten.
    assert.deepEqual(rules([record({ kind: 'worker-crash', defences: { workerReplays: 2, stepsReplayed: 300 } })]), []);
    // Few steps, but the SLA missed after a lost worker.
    const late = recommendationsFrom([record({ id: 'cascade', kind: 'cascading-failure', defences: { workerReplays: 1, stepsReplayed: 40 }, recovered: true, slaMet: false, simMs: 450 })]);
    assert.deepEqual(late.map((r) => r.rule), ['checkpoint-interval']);
    assert.deepEqual(late[0].evidence, [{ experiment: 'cascade', probe: null, value: 'recovered in 450 ms, beyond the 300 ms SLA' }]);
    // A slow recovery without any lost worker is not the checkpoint interval's doing.
    assert.deepEqual(rules([record({ kind: 'partition', recovered: true, slaMet: false, simMs: 450 })]), []);
  });

  it('saturation guard: a storm leaving a failing probe after its end; none when the column came back', () => {
    const storm = recommendationsFrom([record({ id: 'storm', kind: 'spike-storm', defences: { guards: false }, probes: [probe('synchrony', 'during', 'fail', 3), probe('synchrony', 'after', 'fail', 0.8, 'synchrony')] })]);
    assert.deepEqual(storm.map((r) => r.rule), ['saturation-guard']);
    assert.match(storm[0].text, /saturationPa, with defences\.guards: true/);
    assert.deepEqual(storm[0].evidence.map((e) => e.probe), ['synchrony@after']);
    assert.deepEqual(rules([record({ kind: 'spike-storm', probes: [probe('synchrony', 'during', 'fail', 3), probe('synchrony', 'after', 'pass', 0.02)] })]), []);
  });

  it('non-finite state, refused allocations and advisory throughput each fire on their finding only', () => {
    assert.deepEqual(rules([record({ samples: [sample('baseline'), sample('fault', 5)] })]), ['contain-non-finite']);
    assert.deepEqual(rules([record({ kind: 'allocator-pressure', defences: { allocationFailures: 12 }, status: 'failed' })]), ['degrade-allocations']);
    assert.deepEqual(rules([record({ kind: 'allocator-pressure', defences: { allocationFailures: 12, degradations: 3 } })]), [], 'refused allocations the run absorbed');
    const tp = (outcome: WallClockProbeResult['outcome'], effect: number): WallClockProbeResult => ({ id: 'throughput-after', metric: 'throughput', when: 'after', advisory: true, tolerance: 0.1, field: 'stepsPerSecond', value: 500, baseline: 1000, noiseCv: 0.05, controlSamples: 10, treatedSamples: 10, outcome, controlMean: 1000, treatedMean: 500, effect, effectCi95: null, pValue: 0.001, reason: 'r' });
    const slow = recommendationsFrom([record({ id: 'cpu', kind: 'cpu-stress', wallClock: [tp('fail', -0.5)] })]);
    assert.deepEqual(slow.map((r) => r.rule), ['throughput']);
    assert.match(slow[0].text, /^Advisory/);
    assert.deepEqual(slow[0].evidence, [{ experiment: 'cpu', probe: 'throughput-after@after', value: '500 steps/s against 1000 (-50.0%; baseline noise CV 0.05)' }]);
    assert.deepEqual(rules([record({ kind: 'cpu-stress', wallClock: [tp('pass', -0.02)] })]), []);
  });

  it('one recommendation per rule, citing every experiment it fired for; the report text ends with the evidence', () => {
    const a = record({ id: 'a', kind: 'disk-fault', defences: { recording: 'raw', spikesLost: 3 } });
    const b = record({ id: 'b', kind: 'disk-fault', defences: { recording: 'off', spikesLost: 0, spikesDuplicated: 2 } });
    const notRun = { ...record({ id: 'c', defences: { recording: 'raw', spikesLost: 9 } }), status: 'not-run' } as ExperimentRecord;
    const r = recommendationsFrom([a, b, notRun]);
    assert.equal(r.length, 1);
    assert.deepEqual(r[0].evidence.map((e) => e.experiment), ['a', 'b']);
    const report = buildResilienceReport([a, b]);
    assert.equal(report.recommendations.length, 1);
    assert.match(report.recommendations[0], /^Record spikes durably .* Evidence: a: 3 spikes lost and 0 duplicated by the raw recording; b: 0 spikes lost and 2 duplicated by the off recording\.$/);
    assert.deepEqual(report.recommendationFindings, r);
  });
});

describe('recommendations of simulated runs', () => {
  const scenario = (scrub: boolean, experiments: unknown[]) =>
    validateScenario({ title: 'advice', seed: 5, model: { name: TINY_MODEL }, backend: 'cpu', defaults: { warmupMs: 50, baselineMs: 300, holdMs: 20 }, defences: { scrub, recording: 'durable' }, experiments });

  it('weight corruption with scrubbing off that fails a probe: scrubbing advised, citing the experiment, the synapses and the probe; with scrubbing on it is not', async () => {
    const corrupt = { id: 'zeroed', fault: { kind: 'weight-corruption', source: 'I', target: 'E', fraction: 0.9, mode: 'stuck-at-zero' }, observationMs: 300, recoveryTimeoutMs: 50 };
    const off = await new ChaosEngine(scenario(false, [corrupt])).run();
    const e = off.experiments[0];
    assert.ok(e.judge!.probes.some((p) => p.outcome === 'fail'), 'inhibition cut: some probe fails');
    const advice = off.report.recommendationFindings!.find((r) => r.rule === 'scrub-weights')!;
    assert.ok(advice, off.report.recommendations.join('\n'));
    assert.equal(advice.evidence[0].experiment, 'zeroed');
    assert.match(advice.evidence[0].value, /^\d+ synapses corrupted with scrubbing off$/);
    assert.ok(advice.evidence.slice(1).every((x) => /^[\w.-]+@(before|during|after|continuous)$/.test(x.probe!)));
    assert.ok(off.report.recommendations.some((t) => t.startsWith('Turn weight scrubbing on') && t.includes('Evidence: zeroed: ')));
    const on = await new ChaosEngine(scenario(true, [corrupt])).run();
    assert.ok(!on.report.recommendationFindings!.some((r) => r.rule === 'scrub-weights'));
  });

  it('a disk fault the durable recording absorbed (0 spikes lost): no "Record spikes durably"', async () => {
    const j = await new ChaosEngine(scenario(true, [{ id: 'eio', fault: { kind: 'disk-fault', errorRate: 0.5, latencyMs: 1 }, observationMs: 60, recoveryTimeoutMs: 50 }])).run();
    const e = j.experiments[0];
    assert.equal(e.defences.recording, 'durable');
    assert.equal(e.defences.spikesLost, 0);
    assert.ok(!j.report.recommendations.some((t) => /Record spikes durably/.test(t)), j.report.recommendations.join('\n'));
    assert.ok(!j.report.recommendationFindings!.some((r) => r.rule === 'durable-recording' || r.rule === 'recording-backlog'));
  });
});
