import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crossCoreRoundTripNs } from '../../bench/cross-core-latency.js';
import { machineInfo } from '../../bench/machine-info.js';

describe('cross-core latency probe', () => {
  it('measures a positive round trip between two worker threads', async () => {
    const ns = await crossCoreRoundTripNs(2000, 1);
    assert.ok(Number.isFinite(ns) && ns > 0, `${ns}`);
  });

  it('rejects rounds or trials that are not integers >= 1, naming them', async () => {
    await assert.rejects(crossCoreRoundTripNs(0, 1), /rounds: must be an integer >= 1/);
    await assert.rejects(crossCoreRoundTripNs(100, 1.5), /trials: must be an integer >= 1/);
  });

  it('machineInfo records it once per process: a positive ns, or null when the probe could not run (a loaded machine)', () => {
    const first = machineInfo().crossCoreRoundTripNs;
    assert.ok(first === null || (Number.isInteger(first) && first > 0), String(first));
    assert.equal(machineInfo().crossCoreRoundTripNs, first, 'the second call reuses the first measurement');
  });
});
