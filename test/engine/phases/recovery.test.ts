import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExperimentRecord } from '../../../src/engine/journal.js';
import { isHealthMetric, outOfBand } from '../../../src/engine/steady-state.js';
import { RecoveryTracker } from '../../../src/engine/phases/recovery-tracker.js';
import { BASE, runCounted } from './rig.js';

/** Independently of the tracker: the earliest sample start t >= fromMs after which every sample is in band (the recovery stops once recovered). */
function inBandFrom(e: ExperimentRecord, fromMs: number): number | null {
  const interval = e.durations.monitorIntervalMs;
  let t: number | null = null;
  for (const s of e.samples) {
    const start = s.tMs - interval;
    if (start < fromMs - 1e-9) continue;
    const ok = outOfBand(s, e.bands, isHealthMetric).length === 0;
    if (!ok) t = null;
    else if (t === null) t = start;
  }
  return t;
}

describe('recovery is timed from the step the fault stopped acting', () => {
  it('a storm that expires inside the observation: timed from its expiry, not from the later rollback', async () => {
    const { record: e } = await runCounted({
      ...BASE,
      experiments: [{ id: 'storm', fault: { kind: 'spike-storm', target: { percent: 50 }, rateHz: 10000, train: 'regular', amplitudePa: 300, durationMs: 20 }, observationMs: 120, recoveryTimeoutMs: 100 }],
    });
    assert.equal(e.fault.injectedAtMs, 120);
    assert.equal(e.fault.endedAtMs, 140, 'the storm stopped acting at its durationMs expiry');
    assert.equal(e.fault.stoppedAtMs, 240, 'and was rolled back at the end of the observation');
    const rec = e.steps.find((s) => s.name === 'recovery')!.output as { fromMs: number };
    assert.equal(rec.fromMs, 140);
    assert.equal(e.recovery.recovered, true, JSON.stringify(e.recovery));
    const t = inBandFrom(e, 140)!;
    assert.equal(e.recovery.simMs, t - 140);
    assert.ok(e.samples.some((s) => s.phase === 'fault' && s.tMs > 140 && outOfBand(s, e.bands, isHealthMetric).length > 0), 'the storm pushed the column out of its band after it ended');
    assert.ok(e.recovery.simMs! > 0 && e.recovery.simMs! < 100, `recovered ${e.recovery.simMs} ms after the expiry, before the rollback (timed from the rollback it would read 0)`);
  });

  it('a fault rolled back before its duration ends: timed from the rollback', async () => {
    const { record: e } = await runCounted({ ...BASE, experiments: [{ id: 'dead', fault: { kind: 'neuron-fault', target: { percent: 30 }, mode: 'dead', durationMs: 500 }, observationMs: 30, recoveryTimeoutMs: 100 }] });
    assert.equal(e.fault.stoppedAtMs, 150);
    assert.equal(e.fault.endedAtMs, 150);
    assert.equal((e.steps.find((s) => s.name === 'recovery')!.output as { fromMs: number }).fromMs, 150);
    if (e.recovery.recovered) assert.equal(e.recovery.simMs, inBandFrom(e, 150)! - 150);
  });
});

describe('RecoveryTracker', () => {
  it('counts only samples from the fault end on, needs the hold, and a sample of the recovery window', () => {
    const t = new RecoveryTracker(2);
    t.feed(0, null, true, false, 0); // fault end unknown: ignored
    t.feed(100, 200, true, false, 1); // before the end: ignored
    assert.equal(t.recovered, false);
    t.feed(200, 200, false, false, 2);
    t.feed(300, 200, true, false, 3);
    t.feed(400, 200, true, false, 4);
    assert.equal(t.recovered, false, 'held, but not yet seen after the rollback');
    t.feed(500, 200, true, true, 5);
    assert.equal(t.recovered, true);
    assert.equal(t.recoveredFromStep, 300);
    assert.equal(t.recoveredFromWallMs, 3);
  });

  it('an out-of-band sample restarts the run', () => {
    const t = new RecoveryTracker(2);
    t.feed(0, 0, true, true, 0);
    t.feed(10, 0, false, true, 1);
    t.feed(20, 0, true, true, 2);
    assert.equal(t.recovered, false);
    t.feed(30, 0, true, true, 3);
    assert.equal(t.recoveredFromStep, 20);
  });
});
