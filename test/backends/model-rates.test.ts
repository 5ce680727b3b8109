import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { cubaSpec } from '../../src/model/cuba.js';
import { MICROCIRCUIT_REFERENCE_RATES_HZ, microcircuitSpec } from '../../src/model/microcircuit.js';

describe('built-in models fire at plausible rates', () => {
  it('cuba: mean rate in Brian2 example band (4-8 Hz; Brian2 reports about 5-6 Hz)', async () => {
    const net = buildNetwork(cubaSpec(), { seed: 1 });
    const sim = new ReferenceBackend(net, { warmupMs: 100 });
    await sim.run(10000);
    const rates = sim.recorder.populationRatesHz(net, 900);
    const mean = (rates.E * 3200 + rates.I * 800) / 4000;
    assert.ok(mean > 4 && mean < 8, `mean rate ${mean} Hz`);
  });

  it('microcircuit (scale 0.1, k-scale 1, 1 s): every population fires, near the full-scale reference', async () => {
    // Down-scaling N while keeping in-degrees makes neurons share more of their
    // inputs, so correlations and rates drift from the full-scale values
    // (most in L2/3E: about 1.9x measured at seeds 1 and 7; others within 1.4x).
    // Band tested: each population within [0.5x, 2.5x] of NEST's full-scale
    // reference, and the neuron-weighted mean within 30%.
    const net = buildNetwork(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
    const sim = new ReferenceBackend(net, { warmupMs: 200 });
    await sim.run(10000);
    const rates = sim.recorder.populationRatesHz(net, 800);
    let weighted = 0;
    let weightedRef = 0;
    net.populations.forEach((p, i) => {
      const ref = MICROCIRCUIT_REFERENCE_RATES_HZ[i];
      const r = rates[p.name];
      assert.ok(r > 0.5 * ref && r < 2.5 * ref, `${p.name}: ${r.toFixed(2)} Hz vs reference ${ref}`);
      weighted += r * p.size;
      weightedRef += ref * p.size;
    });
    assert.ok(Math.abs(weighted / weightedRef - 1) < 0.3, `mean ratio ${weighted / weightedRef}`);
  });
});
