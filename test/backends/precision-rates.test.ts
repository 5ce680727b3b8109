import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { simulate } from '../../src/simulate.js';

/**
 * Single precision is a numerics change, not a model change: on CUBA the
 * population rates over 1 s (mean of two seeds) stay within 2% of float64's.
 * Measured: -0.6% (E) and -0.1% (I) over seeds 1-4, a tenth of the seeds'
 * own spread (docs/performance.md, "Single precision"; the microcircuit's
 * figures there, from bench/precision-rates.ts, are too slow for `npm test`).
 */
describe('float32 against float64 population rates', () => {
  it('CUBA, 1 s, seeds 1 and 2: every population within 2%', async () => {
    const mean: Record<string, Record<string, number>> = { float64: {}, float32: {} };
    for (const precision of ['float64', 'float32'] as const) {
      for (const seed of [1, 2]) {
        const r = await simulate({ model: 'cuba', durationMs: 1000, backend: 'cpu', seed, precision });
        for (const [pop, hz] of Object.entries(r.ratesHz)) mean[precision][pop] = (mean[precision][pop] ?? 0) + hz / 2;
      }
    }
    for (const [pop, hz] of Object.entries(mean.float64)) {
      assert.ok(hz > 3, `${pop} fires (${hz} Hz)`);
      const rel = Math.abs(mean.float32[pop] - hz) / hz;
      assert.ok(rel <= 0.02, `${pop}: float32 ${mean.float32[pop].toFixed(3)} Hz against float64 ${hz.toFixed(3)} Hz (${(rel * 100).toFixed(2)}%)`);
    }
  });
});
