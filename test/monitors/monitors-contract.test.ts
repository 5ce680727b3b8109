import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SimulationBackend } from '../../src/backends/backend.js';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { PopulationRateMonitor } from '../../src/monitors/population-rate-monitor.js';
import { runMonitored } from '../../src/monitors/run-monitored.js';
import { SpikeMonitor } from '../../src/monitors/spike-monitor.js';
import { StateMonitor } from '../../src/monitors/state-monitor.js';
import { backendOrSkip, CONFORMANCE_BACKENDS } from '../conformance/backends.js';
import { tinyNetwork } from '../conformance/networks.js';

/**
 * The monitors' contract on every registered backend (each suite variant;
 * one that cannot run here is skipped with its reason): the same script of
 * monitors, a storm injected through the chaos controller halfway, gives on
 * each backend what the cpu reference gives (spikes identical over this
 * short run, state within the backend's exactness class), and what each
 * monitor says agrees with the backend's own record and buffers.
 */
const network = tinyNetwork(100);
const RUN_MS = 40;

interface Observed {
  spikes: { timesMs: Float64Array; neurons: Int32Array };
  rates: { binStartMs: Float64Array; ratesHz: Record<string, Float64Array> };
  vTimes: Float64Array;
  v: Float32Array;
  iExc: Float32Array;
}

async function script(sim: SimulationBackend): Promise<Observed> {
  const chaos = new ChaosController(sim, { seed: 5 });
  await sim.run({ durationMs: 5 });
  const spikes = new SpikeMonitor(sim, { populations: [network.populations[0].name], replica: 1 });
  const rates = new PopulationRateMonitor(chaos, { binMs: 5 });
  const state = new StateMonitor(chaos, { neurons: [0, 3, 50, 99], variables: ['membraneMv', 'currentExcPa'], intervalMs: 2.5 });
  await runMonitored(chaos, { durationMs: RUN_MS / 2 }, [spikes, rates, state]);
  await chaos.inject({ kind: 'spike-storm', target: { count: 20 }, rateHz: 2000, amplitude: 300, durationMs: 10 });
  await runMonitored(chaos, { durationMs: RUN_MS / 2 }, [spikes, rates, state]);
  // The last sample is the state now; the spike monitor sees what the record holds.
  const v = state.values('membraneMv');
  const live = sim.buffer('membraneMv');
  assert.deepEqual(Array.from(v.subarray(v.length - 4)), [0, 3, 50, 99].map((i) => live[i]), 'last sample = the live buffer');
  const s = spikes.spikes();
  const pairs = sim.recorder.stores[1].toPairs();
  let expected = 0;
  for (let k = 0; k < pairs.length; k += 2) if (pairs[k] >= 50 && pairs[k + 1] < network.populations[0].size) expected++;
  assert.equal(s.neurons.length, expected, 'every spike of the population since the monitor started');
  return { spikes: s, rates: rates.rates(), vTimes: state.timesMs, v, iExc: state.values('currentExcPa') };
}

const reference = await (async () => {
  const sim = new ReferenceBackend(network, { batch: 2 });
  try {
    return await script(sim);
  } finally {
    await sim.dispose();
  }
})();

describe('monitors on every backend', () => {
  const made: SimulationBackend[] = [];
  after(async () => {
    for (const b of made) await b.dispose();
  });

  it('the reference: sample times, bins and the storm seen by the rates', () => {
    assert.equal(reference.vTimes.length, RUN_MS / 2.5 + 1, 'a sample at the start and every 2.5 ms');
    assert.equal(reference.vTimes[0], 5);
    assert.equal(reference.vTimes.at(-1), 45);
    assert.deepEqual(Array.from(reference.rates.binStartMs), [5, 10, 15, 20, 25, 30, 35, 40]);
    assert.ok(reference.spikes.neurons.length > 0, 'the population spikes');
    assert.ok(reference.spikes.timesMs.every((t, i, a) => t >= 5 && (i === 0 || t >= a[i - 1])), 'times in order, from the start');
  });

  for (const entry of CONFORMANCE_BACKENDS) {
    it(`${entry.name}: spikes, rates and state as the reference`, async (t) => {
      const sim = await backendOrSkip(t, entry, network, { batch: 2 });
      if (!sim) return;
      made.push(sim);
      const got = await script(sim);
      assert.deepEqual(got.spikes.neurons, reference.spikes.neurons);
      assert.deepEqual(got.spikes.timesMs, reference.spikes.timesMs);
      assert.deepEqual(got.vTimes, reference.vTimes);
      for (const [name, r] of Object.entries(reference.rates.ratesHz)) assert.deepEqual(got.rates.ratesHz[name], r, `rates of ${name}`);
      const [tolMv, tolPa] = entry.exactness === 'exact' ? [0, 0] : [1e-3, 1e-2];
      got.v.forEach((x, i) => assert.ok(Math.abs(x - reference.v[i]) <= tolMv, `membrane sample ${i}: ${x} vs ${reference.v[i]}`));
      got.iExc.forEach((x, i) => assert.ok(Math.abs(x - reference.iExc[i]) <= tolPa, `current sample ${i}: ${x} vs ${reference.iExc[i]}`));
    });
  }
});
