import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { guardArm, measureGuardOverhead, type ArmRun } from '../../bench/guard-overhead.js';
import type { ChildOptions } from '../../bench/scaling-child.js';

/** A stand-in for the process runner that records what each call ran and answers from a script (the bench's arithmetic, not the machine). */
function scripted(wallOn: number[], wallOff: number[]) {
  const calls: boolean[] = [];
  let on = 0;
  let off = 0;
  const run = (o: ChildOptions): ArmRun => {
    assert.deepEqual(o, guardArm(o.guards!.enabled === true, 1000));
    assert.equal(o.backend, 'cpu');
    assert.equal(o.model, 'microcircuit');
    assert.equal(o.scale, 0.1);
    const isOn = o.guards!.enabled === true;
    calls.push(isOn);
    const wallMs = isOn ? wallOn[on++] : wallOff[off++];
    return { wallMs, runCpuMs: wallMs * 0.9, spikeHash: 'h', loadBefore: 1 };
  };
  return { calls, run };
}

describe('guard-overhead bench', () => {
  it('runs each arm as its own call (a fresh process), the order flipped every pair, and takes the median of the pair ratios', () => {
    const s = scripted([110, 104, 300, 102, 105], [100, 100, 100, 100, 100]);
    const f = measureGuardOverhead(5, 0, () => {}, 1000, s.run);
    assert.deepEqual(s.calls, [true, false, false, true, true, false, false, true, true, false]);
    // Ratios 1.10, 1.04, 3.00, 1.02, 1.05: the median ignores the outlier.
    assert.equal(f.overhead.medianRatio, 1.05);
    assert.equal(f.overhead.medianCpuRatio, 1.05);
    assert.equal(f.overhead.pairs, 5);
    assert.equal(f.control, null);
    assert.equal(f.met, true);
    assert.equal(f.overhead.sameSpikes, true);
  });

  it('runs A/A control pairs with guards off in both arms, and misses the target above 5%', () => {
    const s = scripted([120, 120, 120, 120, 120], [100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100]);
    const f = measureGuardOverhead(5, 3, () => {}, 1000, s.run);
    assert.equal(s.calls.filter((x) => x).length, 5);
    assert.equal(s.calls.slice(10).every((x) => !x), true, 'the control pairs run guards off only');
    assert.equal(f.control!.pairs, 3);
    assert.equal(f.control!.medianRatio, 1);
    assert.ok(Math.abs(f.overhead.medianRatio - 1.2) < 1e-12);
    assert.equal(f.met, false);
  });

  it('refuses a pair count below one', () => {
    assert.throws(() => measureGuardOverhead(0, 0, () => {}, 1000, () => assert.fail('no run')), /pairs/);
  });
});
