import { ReferenceBackend } from '../backends/reference-backend.js';
import { outputFs } from '../io/output-fs.js';
import type { Network } from '../model/network.js';
import type { SimulationBackend } from '../backends/backend.js';
import { checkInvariants } from './invariants.js';
import { RIG_SATURATION_PA, digestOf, type ChaosRig } from './chaos-rig.js';
import { roundedSteps } from '../util/time-steps.js';

/** Each population's baseline rate band over windows of `windowSteps`. */
export interface RateBand {
  windowSteps: number;
  loHz: Float64Array;
  hiHz: Float64Array;
  meanHz: Float64Array;
}

export interface RateBandOptions {
  seed?: number;
  /** @defaultValue 100 */
  warmupMs?: number;
  /** @defaultValue 25 */
  windowMs?: number;
  /** @defaultValue 24 */
  windows?: number;
}

/** Mean rate of each population over steps [from, to), averaged over replicas. */
export function windowRatesHz(backend: SimulationBackend, from: number, to: number): Float64Array {
  const net = backend.network;
  const popOf = new Int32Array(net.neuronCount);
  for (const p of net.populations) popOf.fill(p.index, p.start, p.start + p.size);
  const spikes = new Float64Array(net.populations.length);
  for (const store of backend.recorder.stores) {
    const pairs = store.toPairs();
    for (let k = pairs.length - 2; k >= 0 && pairs[k] >= from; k -= 2) if (pairs[k] < to) spikes[popOf[pairs[k + 1]]]++;
  }
  const seconds = ((to - from) * net.dtMs) / 1000;
  return spikes.map((s, i) => s / (net.populations[i].size * backend.batch * seconds));
}

/**
 * The baseline band of population rates, from an undisturbed guarded run of
 * the reference: mean +- max(4 sd, 50% of the mean, 5 Hz) over windows.
 */
export async function baselineRateBand(network: Network, o: RateBandOptions = {}): Promise<RateBand> {
  const sim = new ReferenceBackend(network, { seed: o.seed ?? 1, guards: { enabled: true, saturationPa: RIG_SATURATION_PA } });
  const windowSteps = roundedSteps(o.windowMs ?? 25, network.dtMs, 'windowMs');
  sim.advance(roundedSteps(o.warmupMs ?? 100, network.dtMs, 'warmupMs', { minSteps: 0 }));
  const per: Float64Array[] = [];
  for (let w = 0; w < (o.windows ?? 24); w++) {
    const from = sim.currentStep;
    sim.advance(windowSteps);
    per.push(windowRatesHz(sim, from, sim.currentStep));
  }
  await sim.dispose();
  const pops = network.populations.length;
  const band: RateBand = { windowSteps, loHz: new Float64Array(pops), hiHz: new Float64Array(pops), meanHz: new Float64Array(pops) };
  for (let p = 0; p < pops; p++) {
    const xs = per.map((r) => r[p]);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
    const half = Math.max(4 * sd, 0.5 * mean, 5);
    band.meanHz[p] = mean;
    band.loHz[p] = Math.max(0, mean - half);
    band.hiHz[p] = mean + half;
  }
  return band;
}

export interface RecoveryOutcome {
  /** Simulated ms after the last stop until every membrane and rate was back in band (two windows in a row). */
  recoveredAfterMs: number;
}

/**
 * Stops every fault and checks that nothing is left behind (each rollback
 * verified, weights bit for bit as before unless a permanent fault said
 * otherwise, the fault table clear, allocator and output layer unfaulted),
 * then that the network returns to its baseline band within `withinMs`:
 * every membrane inside the physical band, and two windows in a row with
 * every population rate inside the rate band.
 */
export async function stopAllAndRecover(rig: ChaosRig, rates: RateBand, pristineWeights: string, withinMs = 500): Promise<RecoveryOutcome> {
  const { chaos, backend } = rig;
  const fail = (what: string): never => {
    throw new Error(`${rig.entry.name} at step ${backend.currentStep}, after stopping every fault: ${what}`);
  };
  const reports = await chaos.stopAll();
  const bad = reports.filter((r) => !r.ok);
  if (bad.length) fail(`stops failed: ${bad.map((r) => `${r.id}: ${r.error}`).join('; ')}`);
  for (const f of rig.injected) {
    const v = f.verify();
    if (!f.stopped || !v.ok) fail(`${f.id} is still in effect: ${v.evidence}`);
  }
  if (!rig.model.permanentDamage && digestOf(backend.synapses().weightsPa) !== pristineWeights) fail('the weights differ from before the first fault');
  if ((backend.buffer('faultCode') as Uint8Array).some((c) => c !== 0)) fail('the neuron fault table is not clear');
  if ((backend.buffer('faultedPopulations') as Uint8Array).some((c) => c !== 0)) fail('populations are still flagged as faulted');
  if (rig.allocator.underPressure) fail('the allocator is still under pressure');
  if (outputFs.faulted) fail('the output layer is still faulted');
  const start = backend.currentStep;
  const limit = start + roundedSteps(withinMs, backend.network.dtMs, 'withinMs', { minSteps: 0 });
  let inBand = 0;
  let last = '';
  while (backend.currentStep < limit) {
    const from = backend.currentStep;
    await backend.run(Math.min(rates.windowSteps, limit - from));
    const r = windowRatesHz(backend, from, backend.currentStep);
    const off = [...r].map((x, p) => (x < rates.loHz[p] || x > rates.hiHz[p] ? `${backend.network.populations[p].name} ${x.toFixed(1)} Hz not in [${rates.loHz[p].toFixed(1)}, ${rates.hiHz[p].toFixed(1)}]` : '')).filter(Boolean);
    const membranes = checkInvariants(backend, { guardSaturationPa: RIG_SATURATION_PA, band: rig.band, isiExempt: rig.model.isiExempt, ringsMayBeNonFinite: true });
    const ok = membranes.length === 0 && (off.length === 0 || rig.model.permanentDamage);
    last = [...off, ...membranes.slice(0, 2)].join('; ');
    inBand = ok ? inBand + 1 : 0;
    if (inBand >= 2) return { recoveredAfterMs: (backend.currentStep - start) * backend.network.dtMs - (2 * rates.windowSteps * backend.network.dtMs) };
  }
  return fail(`not back in its baseline band within ${withinMs} ms (last window: ${last})`);
}
