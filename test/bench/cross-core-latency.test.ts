import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { crossCoreRoundTripNs } from '../../bench/cross-core-latency.js';
import { machineInfo } from '../../bench/machine-info.js';

describe('cross-core latency probe', () => {
  it('measures a positive round trip between two worker threads, and machineInfo records it', async () => {
    const ns = await crossCoreRoundTripNs(2000, 1);
    assert.ok(Number.isFinite(ns) && ns > 0, `${ns}`);
    const info = machineInfo();
    assert.ok(info.crossCoreRoundTripNs !== null && info.crossCoreRoundTripNs > 0, JSON.stringify(info));
  });
});
