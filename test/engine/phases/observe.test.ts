import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { outputFs } from '../../../src/io/output-fs.js';
import { BASE, runCounted } from './rig.js';

interface ObserveOutput {
  verify: { ok: boolean; evidence: string; atStep: number } | null;
  faultEndedAtMs: number | null;
}

const observeOutput = (steps: { name: string; output?: unknown }[]) => steps.find((s) => s.name === 'observe')!.output as ObserveOutput;

describe('observe: the fault is verified while it is in effect', () => {
  it('a neuron fault shorter than the observation is checked before the controller stops it (not after, with the "gone" evidence)', async () => {
    const { record } = await runCounted({ ...BASE, experiments: [{ id: 'dead', fault: { kind: 'neuron-fault', target: { percent: 10 }, mode: 'dead', durationMs: 15 }, observationMs: 50, recoveryTimeoutMs: 40 }] });
    const o = observeOutput(record.steps);
    const injectedStep = 1200;
    const endStep = injectedStep + 150;
    assert.ok(o.verify, 'verified');
    assert.equal(o.verify.ok, true, o.verify.evidence);
    assert.match(o.verify.evidence, /entries carry fault code/, 'the active evidence');
    assert.equal(o.verify.atStep, endStep - 1, 'on the last step of the fault window, before the scheduled stop');
    assert.equal(o.faultEndedAtMs, 135);
    assert.equal(record.fault.endedAtMs, 135);
  });

  it('a regular storm shorter than the observation: checked at its last step, every event it owes is in the buffers', async () => {
    const { record } = await runCounted({ ...BASE, experiments: [{ id: 'storm', fault: { kind: 'spike-storm', target: { percent: 10 }, rateHz: 1000, train: 'regular', amplitudePa: 100, durationMs: 12 }, observationMs: 50, recoveryTimeoutMs: 40 }] });
    const o = observeOutput(record.steps);
    assert.equal(o.verify!.ok, true, o.verify!.evidence);
    assert.equal(o.verify!.atStep, 1200 + 120 - 1);
    // 80 targets at one event per ms for the 11.9 ms run so far: 11 events each, all written.
    assert.match(o.verify!.evidence, /^880 events written .* owes 880$/);
  });

  it('a disk fault shorter than a monitor interval is still checked in effect (the chunk is split at its last step)', async () => {
    const { record } = await runCounted({ ...BASE, experiments: [{ id: 'disk', fault: { kind: 'disk-fault', errorRate: 0.5, durationMs: 3 }, observationMs: 30, recoveryTimeoutMs: 30 }] });
    const o = observeOutput(record.steps) as ObserveOutput & { verify: { noEffect?: boolean } };
    assert.equal(o.verify!.atStep, 1200 + 30 - 1);
    // Checked while installed (the active evidence), and honest about it: no output was written in its 3 ms, so it acted on nothing.
    assert.match(o.verify!.evidence, /^output layer faulted: 0 writes and fsyncs in its scope.*no output file was written/);
    assert.equal(o.verify!.ok, false);
    assert.equal(o.verify!.noEffect, true);
    assert.equal(outputFs.faulted, false);
  });

  it('a fault with no duration is checked at the end of the observation', async () => {
    const { record } = await runCounted({ ...BASE, experiments: [{ id: 'dead', fault: { kind: 'neuron-fault', target: { percent: 10 }, mode: 'dead' }, observationMs: 30, recoveryTimeoutMs: 30 }] });
    const o = observeOutput(record.steps);
    assert.equal(o.verify!.atStep, 1200 + 300);
    assert.equal(o.verify!.ok, true);
    assert.equal(record.fault.endedAtMs, 150, 'it stopped acting at its rollback');
    assert.equal(record.fault.stoppedAtMs, 150);
  });
});
