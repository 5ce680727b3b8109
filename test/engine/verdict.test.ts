import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VerdictInputs } from '../../src/engine/verdict.js';
import { experimentVerdict, STEADY_STATE_NOT_MET } from '../../src/engine/verdict.js';

const passing: VerdictInputs = {
  status: 'completed',
  hypothesis: { before: true, during: true, after: true },
  recovery: { recovered: true, simMs: 40, wallMs: 10, slaMet: true },
  durations: { warmupMs: 0, baselineMs: 100, observationMs: 100, recoveryTimeoutMs: 600, holdMs: 40, slaMs: 30000, monitorIntervalMs: 20 },
  steps: [],
};

describe('experiment verdict', () => {
  it('passes only when every hypothesis held and the SLA was met', () => {
    assert.deepEqual(experimentVerdict(passing), { outcome: 'pass', reasons: [] });
    assert.deepEqual(experimentVerdict({ ...passing, hypothesis: { before: true, during: false, after: true } }).outcome, 'fail');
    assert.deepEqual(experimentVerdict({ ...passing, hypothesis: { before: false, during: true, after: true } }).reasons, [STEADY_STATE_NOT_MET]);
    assert.match(experimentVerdict({ ...passing, recovery: { ...passing.recovery, simMs: 40000, slaMet: false } }).reasons[0], /beyond the 30000 ms SLA/);
    assert.match(experimentVerdict({ ...passing, status: 'failed', hypothesis: { ...passing.hypothesis, after: false }, recovery: { recovered: false, simMs: null, wallMs: null, slaMet: false } }).reasons.join(), /within 600 ms/);
  });

  it('interrupted and not-run come from the status; a failed rollback and data loss are reasons', () => {
    assert.equal(experimentVerdict({ ...passing, status: 'interrupted', hypothesis: { before: null, during: null, after: null } }).outcome, 'interrupted');
    assert.equal(experimentVerdict({ ...passing, status: 'not-run' }).outcome, 'not-run');
    const rolledBadly = experimentVerdict({ ...passing, status: 'failed', steps: [{ name: 'rollback', startedAt: '', endedAt: '', durationMs: 0, status: 'failed', error: 'rollback not verified: x' }] });
    assert.deepEqual(rolledBadly, { outcome: 'fail', reasons: ['rollback not verified: x'] });
    assert.deepEqual(experimentVerdict({ ...passing, status: 'failed', abortReason: 'data loss: ...' }).reasons, ['data loss: ...']);
  });

  it('after false from a failing after probe gives the probe reason, not a recovery timeout; a timeout still says so', () => {
    const probe = { id: 'rate.E', metric: 'rate', when: 'after', tolerance: 0.1, outcome: 'fail', reason: 'changed by +560.9%', effect: 5.6, effectCi95: [5, 6], pValue: 0.001, pAdjusted: 0.01, controlMean: 1, treatedMean: 6.6, controlWindows: 5, treatedWindows: 5, windowMs: 20, controlSpanMs: [0, 100], treatedSpanMs: [0, 100], controlValues: [], treatedValues: [], expectedSpikesPerWindow: 200 };
    const judge = { controls: 'replicas', minEffect: 0.1, alpha: 0.05, minExpectedSpikes: 200, controlSpanMs: [0, 100], treatedSpanMs: [0, 100], probes: [probe] };
    const v = experimentVerdict({ ...passing, hypothesis: { before: true, during: true, after: false }, judge } as unknown as VerdictInputs);
    assert.equal(v.outcome, 'fail');
    assert.equal(v.reasons.length, 1);
    assert.match(v.reasons[0], /^probe rate\.E failed after the fault/);
    const timedOut = experimentVerdict({ ...passing, status: 'failed', hypothesis: { before: true, during: true, after: false }, recovery: { recovered: false, simMs: null, wallMs: null, slaMet: false }, judge } as unknown as VerdictInputs);
    assert.match(timedOut.reasons.join('; '), /did not return to its steady state within 600 ms; probe rate\.E failed after the fault/);
  });
});
