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
});
