import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricSample } from '../../src/engine/metrics.js';
import { meanOfMeasured, probeHealth, scoreExperiment } from '../../src/engine/scores.js';
import type { Band } from '../../src/engine/steady-state.js';

const band = (mean: number, half: number): Band => ({ mean, sd: 0, lo: mean - half, hi: mean + half });
const bands = { 'rate.E': band(5, 2), synchrony: band(1, 1), nonFinite: band(0, 0), stepsPerSecond: band(1000, 500), memoryBytes: band(100, 50) };
const sample = (phase: MetricSample['phase'], rate: number, nonFinite = 0, stepsPerSecond = 1000): MetricSample => ({ tMs: 0, wallMs: 0, phase, ratesHz: { E: rate }, synchrony: 1, stepsPerSecond, stepLatencyMs: 1, workerRestarts: 0, memoryBytes: 100, nonFinite });

describe('scores: an unmeasured part is null, never perfect', () => {
  it('with baseline samples only (interrupted before the fault window), health, performance and integrity are null; recovery too when unwatched', () => {
    const s = scoreExperiment([sample('baseline', 5), sample('baseline', 5)], bands, null, 30000, true, false);
    assert.deepEqual(s, { health: null, performance: null, integrity: null, recovery: null, overall: null });
  });

  it('overall is the mean of the measured parts only', () => {
    // Fault-window samples: one in band, one out; no recovery watched.
    const s = scoreExperiment([sample('baseline', 5), sample('fault', 5), sample('fault', 50)], bands, null, 30000, true, false);
    assert.equal(s.health, 0.5);
    assert.equal(s.performance, null, 'throughput is advisory (performanceImpact), never scored');
    assert.equal(s.integrity, 1);
    assert.equal(s.recovery, null);
    assert.equal(s.overall, (0.5 + 1) / 2);
  });

  it('a failed rollback is measured (integrity 0) even with no sample after the baseline; never recovering scores 0', () => {
    const s = scoreExperiment([sample('baseline', 5)], bands, null, 30000, false, true);
    assert.equal(s.integrity, 0);
    assert.equal(s.recovery, 0);
    assert.equal(s.overall, 0);
  });

  it('no baseline throughput: performance is null, not 1', () => {
    const s = scoreExperiment([sample('fault', 5)], { ...bands, stepsPerSecond: band(0, 0) }, 10, 30000, true);
    assert.equal(s.performance, null);
    assert.equal(s.overall, (1 + 1 + 1) / 3);
  });

  it('wall-clock figures change no score: a fault window at a tenth or ten times the baseline throughput scores the same', () => {
    const slow = scoreExperiment([sample('baseline', 5), sample('fault', 5, 0, 100), sample('recovery', 5, 0, 100)], bands, 10, 30000, true);
    const fast = scoreExperiment([sample('baseline', 5), sample('fault', 5, 0, 10000), sample('recovery', 5, 0, 10000)], bands, 10, 30000, true);
    assert.deepEqual(slow, fast);
    assert.deepEqual(slow, { health: 1, performance: null, integrity: 1, recovery: 1, overall: 1 });
  });

  it("health is the lower of the judge's probes over the fault and the in-band samples: a failing probe lowers it though every sample stayed in band, and the reverse", () => {
    const probes = [
      { when: 'before', outcome: 'fail' as const },
      { when: 'during', outcome: 'fail' as const },
      { when: 'during', outcome: 'pass' as const },
      { when: 'during', outcome: 'no-data' as const },
      { when: 'continuous', outcome: 'pass' as const },
      { when: 'after', outcome: 'fail' as const },
    ];
    assert.equal(probeHealth(probes), 2 / 3, 'during and continuous verdicts with data: 2 passed of 3');
    const s = scoreExperiment([sample('baseline', 5), sample('fault', 5)], bands, 10, 30000, true, true, probes);
    assert.equal(s.health, 2 / 3, 'the in-band sample would have scored 1');
    // Every probe passed but a fault-window sample left its band (a storm the windows were too short to judge): the bands' 1/2.
    assert.equal(scoreExperiment([sample('baseline', 5), sample('fault', 5), sample('fault', 50)], bands, 10, 30000, true, true, [{ when: 'during', outcome: 'pass' }]).health, 0.5);
    // No probe over the fault had data: the steady-state bands decide, as before.
    assert.equal(probeHealth([{ when: 'during', outcome: 'no-data' }, { when: 'after', outcome: 'fail' }]), null);
    assert.equal(scoreExperiment([sample('baseline', 5), sample('fault', 5)], bands, 10, 30000, true, true, [{ when: 'during', outcome: 'no-data' }]).health, 1);
  });

  it('meanOfMeasured skips nulls and is null for none', () => {
    assert.equal(meanOfMeasured([0.5, null, 1]), 0.75);
    assert.equal(meanOfMeasured([null, null]), null);
    assert.equal(meanOfMeasured([]), null);
  });
});
