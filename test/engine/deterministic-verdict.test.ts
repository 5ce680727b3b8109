import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { withDefencesOff } from '../../src/engine/defence-variants.js';
import type { Journal } from '../../src/engine/journal.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { TINY_MODEL } from '../cli/scenario-fixtures.js';

/** A scenario on the tiny model: a storm that ends inside the observation and a neuron fault, no recording (nothing written). */
const scenario = (backend: string) =>
  validateScenario({
    title: 'determinism',
    seed: 11,
    model: { name: TINY_MODEL },
    backend,
    ...(backend === 'workers' ? { workers: 2 } : {}),
    defaults: { warmupMs: 20, baselineMs: 100, holdMs: 20 },
    defences: { recording: 'off' },
    experiments: [
      { id: 'storm', fault: { kind: 'spike-storm', target: { populations: ['E'], percent: 10 }, rateHz: 100, amplitudePa: 20, durationMs: 20 }, observationMs: 40, recoveryTimeoutMs: 100 },
      { id: 'silence', fault: { kind: 'neuron-fault', mode: 'dead', target: { populations: ['E'], percent: 30 } }, observationMs: 40, recoveryTimeoutMs: 100 },
      // A fault on what replicas share: its paired control runs as a backend of its own.
      { id: 'cut', fault: { kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, mode: 'drop', durationMs: 30 }, observationMs: 40, recoveryTimeoutMs: 100 },
    ],
  });

/** What must be byte-identical between two runs of one scenario and seed: per experiment, its verdict, scores, hypothesis and the judge's probes; the run's verdict. */
const judged = (j: Journal) => JSON.stringify({ run: j.verdict, experiments: j.experiments.map((e) => ({ id: e.id, verdict: e.verdict, scores: e.scores, hypothesis: e.hypothesis, judge: e.judge })) });
const spikes = (j: Journal) => JSON.stringify(j.experiments.map((e) => e.raster));

for (const backend of ['cpu', 'workers']) {
  describe(`deterministic verdicts and scores (${backend})`, () => {
    it('the same scenario and seed run twice give byte-identical verdicts, scores and hypotheses; wall-clock figures only in performanceImpact', async () => {
      const a = await new ChaosEngine(scenario(backend)).run();
      const b = await new ChaosEngine(scenario(backend)).run();
      assert.equal(spikes(a), spikes(b), 'the simulation itself is deterministic');
      assert.equal(judged(a), judged(b));
      assert.deepEqual(a.experiments.map((e) => e.judge?.controls), ['replicas', 'replicas', 'replicas'], 'each judged against its paired controls');
      for (const e of [...a.experiments, ...b.experiments]) {
        assert.equal(e.status, 'completed', `${e.id}: ${e.abortReason ?? ''}`);
        assert.equal(e.scores.performance, null, 'throughput is not scored');
        assert.ok(e.scores.health !== null && e.scores.overall !== null);
        const p = e.performanceImpact!;
        assert.equal(p.advisory, true);
        assert.ok(p.stepsPerSecond.baselineMean! > 0, 'throughput is reported');
        assert.ok(p.stepsPerSecond.baselineCv !== null && p.stepsPerSecond.baselineCv >= 0, 'with its noise');
        assert.ok(p.stepLatencyMs.faultMean! > 0);
        assert.ok(p.memoryBytes.baselineMean! > 0);
      }
      // The wall clock does differ between the runs (it is measured), yet nothing judged moved.
      assert.notDeepEqual(a.experiments.map((e) => e.performanceImpact), b.experiments.map((e) => e.performanceImpact));
    });
  });
}

describe('--defences both: identical spikes give identical health', () => {
  it('a storm no defence acts on: the defended and undefended runs have the same spikes, health and overall score', async () => {
    const on = await new ChaosEngine(scenario('cpu')).run();
    const off = await new ChaosEngine(withDefencesOff(scenario('cpu'))).run();
    assert.equal(spikes(on), spikes(off));
    assert.deepEqual(on.experiments.map((e) => e.scores), off.experiments.map((e) => e.scores));
    assert.deepEqual(on.experiments.map((e) => e.verdict), off.experiments.map((e) => e.verdict));
  });
});
