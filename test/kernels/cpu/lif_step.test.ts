import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { LIF, singleNeuron } from '../../helpers/networks.js';

// Closed forms for iaf_psc_exp (tau in ms, C in pF, I in pA, V in mV).
const tau = LIF.tauMembraneMs;
const c = LIF.capacitancePf;

describe('LifStep against closed-form solutions', () => {
  it('follows V(t) = E_L + (tau/C) I (1 - exp(-t/tau)) under a subthreshold current step', () => {
    const i = 300; // V_inf = -65 + 12 = -53 mV, below threshold
    const sim = new ReferenceBackend(singleNeuron([{ kind: 'dc', currentPa: i }]));
    const v = sim.buffer('membraneMv');
    for (let n = 1; n <= 1000; n++) {
      sim.advance(1);
      const t = n * 0.1;
      const exact = LIF.restingMv + (tau / c) * i * (1 - Math.exp(-t / tau));
      assert.ok(Math.abs(v[0] - exact) < 2e-4, `t=${t} ms: ${v[0]} vs ${exact}`);
    }
    assert.equal(sim.recorder.totalSpikes, 0);
  });

  it('fires at the DC rate 1 / (t_ref + tau ln((V_inf - V_reset) / (V_inf - V_th)))', () => {
    for (const i of [400, 600, 1000, 2000]) {
      const vInf = LIF.restingMv + (tau / c) * i;
      const isiMs = LIF.refractoryMs + tau * Math.log((vInf - LIF.resetMv) / (vInf - LIF.thresholdMv));
      const sim = new ReferenceBackend(singleNeuron([{ kind: 'dc', currentPa: i }]));
      sim.advance(20000); // 2 s
      const pairs = sim.recorder.stores[0].toPairs();
      const steps = [];
      for (let k = 0; k < pairs.length; k += 2) steps.push(pairs[k]);
      // Interspike intervals live on the grid: each is the analytic ISI rounded up to a whole step.
      for (let k = 2; k < steps.length; k++) {
        const isiSteps = steps[k] - steps[k - 1];
        assert.ok(isiSteps >= isiMs / 0.1 - 1e-9 && isiSteps <= isiMs / 0.1 + 1 + 1e-9, `I=${i}: ISI ${isiSteps} steps vs ${isiMs / 0.1}`);
      }
      const rate = (steps.length - 1) / ((steps[steps.length - 1] - steps[0]) * 1e-4);
      assert.ok(Math.abs(rate - 1000 / isiMs) / (1000 / isiMs) < 0.05, `I=${i}: ${rate} Hz vs ${1000 / isiMs}`);
    }
  });

  it('holds the membrane at reset for t_ref after a spike and never fires faster than 1/t_ref', () => {
    const sim = new ReferenceBackend(singleNeuron([{ kind: 'dc', currentPa: 1e6 }]));
    sim.advance(1000);
    const pairs = sim.recorder.stores[0].toPairs();
    for (let k = 2; k < pairs.length; k += 2) assert.ok(pairs[k] - pairs[k - 2] >= 20);
    assert.ok(pairs.length / 2 >= 45); // 100 ms at one spike per 2.1 ms
  });

  it('gives the exact PSP of an exponential current: 87.81 pA peaks at 0.15 mV with tau_syn 0.5 ms', () => {
    const sim = new ReferenceBackend(singleNeuron());
    sim.buffer('ringExcPa')[0] = 87.81; // input arriving at step 0
    const v = sim.buffer('membraneMv');
    const ts = LIF.tauSynExcMs;
    let peak = -Infinity;
    for (let n = 1; n <= 200; n++) {
      sim.advance(1);
      // The current jumps at the end of step 0, so the membrane sees it for (n - 1) steps.
      const t = (n - 1) * 0.1;
      const exact = LIF.restingMv + ((87.81 / c) * ((ts * tau) / (tau - ts))) * (Math.exp(-t / tau) - Math.exp(-t / ts));
      assert.ok(Math.abs(v[0] - exact) < 1e-4, `step ${n}: ${v[0]} vs ${exact}`);
      peak = Math.max(peak, v[0] - LIF.restingMv);
    }
    assert.ok(Math.abs(peak - 0.15) < 0.002, `peak ${peak}`);
  });

  it('routes negative input to the inhibitory current with its own time constant', () => {
    const sim = new ReferenceBackend(singleNeuron());
    sim.buffer('ringInhPa')[0] = -100;
    sim.advance(1);
    assert.equal(sim.buffer('currentInhPa')[0], -100);
    sim.advance(10);
    assert.ok(Math.abs(sim.buffer('currentInhPa')[0] - -100 * Math.exp(-1 / LIF.tauSynInhMs)) < 1e-3);
    assert.equal(sim.buffer('currentExcPa')[0], 0);
  });
});
