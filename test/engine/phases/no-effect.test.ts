import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { experimentVerdict } from '../../../src/engine/verdict.js';
import { BASE, runCounted } from './rig.js';

interface ObserveOutput {
  verify: { ok: boolean; noEffect?: true; evidence: string } | null;
  effect: 'no effect' | 'verified' | 'not verified' | null;
}

const observeOutput = (steps: { name: string; output?: unknown }[]) => steps.find((s) => s.name === 'observe')!.output as ObserveOutput;

describe('a fault that acted on nothing fails the verdict (issue 17.2)', () => {
  it('a regular storm too slow to owe an event in the observation (only known at run time): journaled `no effect`, verdict fail naming the fault and the evidence', async () => {
    // 1 Hz regular: the first event is due 1000 ms after injection, beyond the 30 ms observation; planning cannot know how long it will run.
    const { record } = await runCounted({ ...BASE, experiments: [{ id: 'slow-storm', fault: { kind: 'spike-storm', target: { count: 1 }, rateHz: 1, train: 'regular', amplitudePa: 100 }, observationMs: 30, recoveryTimeoutMs: 30 }] });
    const o = observeOutput(record.steps);
    assert.equal(o.effect, 'no effect');
    assert.equal(o.verify!.noEffect, true, o.verify!.evidence);
    assert.equal(record.verdict.outcome, 'fail');
    const reason = record.verdict.reasons.find((r) => r.startsWith('no effect'));
    assert.ok(reason, record.verdict.reasons.join('; '));
    assert.match(reason, /fault slow-storm \(spike-storm\)/);
    assert.match(reason, /no event was due/);
  });

  it('a storm that wrote events is journaled `verified` and does not fail for that reason', async () => {
    const { record } = await runCounted({ ...BASE, experiments: [{ id: 'storm', fault: { kind: 'spike-storm', target: { count: 1 }, rateHz: 1000, train: 'regular', amplitudePa: 1 }, observationMs: 30, recoveryTimeoutMs: 30 }] });
    assert.equal(observeOutput(record.steps).effect, 'verified');
    assert.ok(!record.verdict.reasons.some((r) => r.startsWith('no effect')), record.verdict.reasons.join('; '));
  });

  it('the verdict reads `noEffect` from the observe step of a journal (also a format-1 journal re-judged)', () => {
    const base = {
      status: 'completed' as const,
      hypothesis: { before: true, during: true, after: true },
      recovery: { recovered: true, simMs: 40, wallMs: 10, slaMet: true },
      durations: { warmupMs: 0, baselineMs: 100, observationMs: 100, recoveryTimeoutMs: 600, holdMs: 40, slaMs: 30000, monitorIntervalMs: 20 },
      fault: { id: 'd', kind: 'disk-fault' },
    };
    const step = (verify: object) => [{ name: 'observe', startedAt: '', endedAt: '', durationMs: 0, status: 'succeeded' as const, output: { verify } }];
    assert.equal(experimentVerdict({ ...base, steps: step({ ok: true, evidence: 'x' }) }).outcome, 'pass');
    const v = experimentVerdict({ ...base, steps: step({ ok: false, noEffect: true, evidence: '0 writes: no output file was written' }) });
    assert.deepEqual(v, { outcome: 'fail', reasons: ['no effect: fault d (disk-fault) acted on nothing while it was active: 0 writes: no output file was written'] });
  });
});
