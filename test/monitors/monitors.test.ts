import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { PopulationRateMonitor } from '../../src/monitors/population-rate-monitor.js';
import { runMonitored } from '../../src/monitors/run-monitored.js';
import { SpikeMonitor } from '../../src/monitors/spike-monitor.js';
import { StateMonitor } from '../../src/monitors/state-monitor.js';
import { InputError } from '../../src/util/errors.js';
import { tinyNetwork } from '../conformance/networks.js';

const network = tinyNetwork(100);
const field = (f: string, re?: RegExp) => (e: unknown) => e instanceof InputError && e.field === f && (!re || re.test(e.message));

describe('monitors: windows and selections', () => {
  it('rates are per bin of the record: the bins add up to the mean over the whole window, which equals the spike count over neurons x time', async () => {
    const sim = new ReferenceBackend(network, { batch: 2 });
    await sim.run(100);
    const rates = new PopulationRateMonitor(sim, { binMs: 10 });
    await sim.run({ durationMs: 35 });
    const r = rates.rates();
    assert.equal(r.binStartMs.length, 3, 'the running bin (40-45 ms) is left out');
    const mean = rates.meanRatesHz({ fromMs: 10, toMs: 40 });
    for (const p of network.populations) {
      const perBin = r.ratesHz[p.name];
      assert.ok(Math.abs((perBin[0] + perBin[1] + perBin[2]) / 3 - mean[p.name]) < 1e-9);
      let spikes = 0;
      for (let b = 0; b < 2; b++) {
        const pairs = sim.recorder.stores[b].toPairs();
        for (let k = 0; k < pairs.length; k += 2) if (pairs[k] >= 100 && pairs[k] < 400 && pairs[k + 1] >= p.start && pairs[k + 1] < p.start + p.size) spikes++;
      }
      assert.ok(Math.abs(mean[p.name] - spikes / (p.size * 2 * 0.03)) < 1e-9);
    }
    await sim.dispose();
  });

  it('a window it has not seen, off the grid, or empty is refused naming the field', async () => {
    const sim = new ReferenceBackend(network);
    await sim.run(50);
    const rates = new PopulationRateMonitor(sim, { binMs: 1 });
    await sim.run(100);
    assert.throws(() => rates.meanRatesHz({ fromMs: 0 }), field('fromMs', /within what was monitored, \[5, 15\] ms/));
    assert.throws(() => rates.meanRatesHz({ toMs: 20 }), field('toMs', /within what was monitored/));
    assert.throws(() => rates.meanRatesHz({ fromMs: 7.25 }), field('fromMs', /multiple of dt/));
    assert.throws(() => rates.meanRatesHz({ fromMs: 10, toMs: 10 }), field('toMs', /after fromMs/));
    assert.throws(() => new PopulationRateMonitor(sim, { binMs: 0.25 }), field('binMs', /multiple of dt = 0.1 ms/));
    assert.throws(() => new PopulationRateMonitor(sim, { binMs: 0 }), field('binMs'));
    await sim.dispose();
  });

  it('selections: unknown population, index out of range, replica, variable, interval are refused naming the field', () => {
    const sim = new ReferenceBackend(network);
    assert.throws(() => new SpikeMonitor(sim, { populations: ['L4E'] }), field('populations', /known:/));
    assert.throws(() => new SpikeMonitor(sim, { neurons: [100] }), field('neurons', /\[0, 99\]/));
    assert.throws(() => new SpikeMonitor(sim, { replica: 1 }), field('replica'));
    assert.throws(() => new StateMonitor(sim, { variables: ['voltage' as never] }), field('variables'));
    assert.throws(() => new StateMonitor(sim, { intervalMs: 0.15 }), field('intervalMs', /multiple of dt/));
    assert.throws(() => new StateMonitor(sim, { everySteps: 0 }), field('everySteps'));
    assert.throws(() => new StateMonitor(sim, { everySteps: 2, intervalMs: 1 }), field('intervalMs', /not both/));
  });

  it('a state monitor every N steps: samples at the start and each N steps, equal to the buffer at that step', async () => {
    const sim = new ReferenceBackend(network);
    const ref = new ReferenceBackend(network);
    const state = new StateMonitor(sim, { populations: [network.populations[1].name], everySteps: 7 });
    await runMonitored(sim, 30, [state]);
    assert.deepEqual(Array.from(state.timesMs), [0, 0.7, 1.4, 2.1, 2.8]);
    await ref.run(21);
    const p = network.populations[1];
    const v = state.values('membraneMv');
    const expected = ref.buffer('membraneMv').subarray(p.start, p.start + p.size);
    assert.deepEqual(v.subarray(3 * p.size, 4 * p.size), Float32Array.from(expected));
    assert.equal(state.trace('membraneMv', p.start).length, 5);
    assert.throws(() => state.values('currentInhPa'), field('variable'));
    assert.equal(sim.currentStep, 30);
  });
});
