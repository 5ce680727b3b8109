import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MetricSample } from '../../../src/engine/metrics.js';
import { judgeProbes, type BinnedActivity, type JudgeInputs } from '../../../src/engine/judge/probes.js';
import { resolveProbes } from '../../../src/engine/probe-schema.js';
import { StreamRng } from '../../../src/util/rng.js';

/** Poisson-like counts per 1 ms bin: population 0 (A, 100 neurons) and 1 (B, 50 neurons), each at `rateHz(pop, bin)`, one replica. */
function activity(rateHz: (pop: number, bin: number) => number, bins: number): BinnedActivity {
  const rng = new StreamRng('activity');
  const sizes = [100, 50];
  const counts = sizes.map((size, pop) => Array.from({ length: bins }, (_, bin) => {
    let n = 0;
    const p = (rateHz(pop, bin) / 1000);
    for (let i = 0; i < size; i++) if (rng.uniform() < p) n++;
    return n;
  }));
  return { at: (bin, _replica, pop) => counts[pop][bin] ?? 0 };
}

const sample = (nonFinite: number): MetricSample => ({ tMs: 0, wallMs: 0, phase: 'fault', ratesHz: {}, synchrony: 1, stepsPerSecond: 1, stepLatencyMs: 1, workerRestarts: 0, memoryBytes: 1, nonFinite });
const populations = [{ name: 'A', index: 0, start: 0, size: 100 }, { name: 'B', index: 1, start: 100, size: 50 }];
/** The default probes, judged during the fault only: control bins [0, 2000) against treated [2000, 3200). */
const inputs = (act: BinnedActivity, treatedNonFinite = 0): JudgeInputs => ({
  probes: resolveProbes(undefined, ['A', 'B'], 0.1, 'hypothesis.probes').map((p) => ({ ...p, when: ['during'] })),
  spans: { during: { control: { activity: act, replicas: [0], bins: [0, 2000], samples: [sample(0)] }, treated: { activity: act, replicas: [0], bins: [2000, 3200], samples: [sample(treatedNonFinite)] } } },
  populations,
  binSteps: 10,
  dtMs: 0.1,
  pairs: [],
  pairingBins: null,
  alpha: 0.05,
  minExpectedSpikes: 200,
  seedKey: 'probes',
});

describe('judge probes: rate per population, synchrony, non-finite', () => {
  it('a population whose rate halves in the treated span fails its rate probe; one unchanged passes', () => {
    // A at 10 Hz, halved from bin 2000; B steady at 20 Hz.
    const act = activity((pop, bin) => (pop === 0 ? (bin >= 2000 ? 5 : 10) : 20), 3200);
    const probes = judgeProbes(inputs(act));
    const a = probes.find((p) => p.id === 'rate.A')!;
    const b = probes.find((p) => p.id === 'rate.B')!;
    // 100 neurons at 10 Hz: 1 spike per ms, 200 ms windows (the window is stated, with the spikes it expects).
    assert.ok(a.windowMs! >= 190 && a.windowMs! <= 210, `window ${a.windowMs}`);
    assert.ok(a.expectedSpikesPerWindow! >= 200);
    assert.equal(a.controlWindows, Math.floor(2000 / a.windowMs!));
    assert.equal(a.outcome, 'fail', a.reason);
    assert.ok(a.effect! < -0.4 && a.effect! > -0.6, `effect ${a.effect}`);
    assert.equal(b.outcome, 'pass', b.reason);
    assert.equal(probes.find((p) => p.id === 'non-finite')!.outcome, 'pass');
  });

  it('non-finite state in a treated sample that the control had not fails the non-finite probe', () => {
    const act = activity(() => 10, 3200);
    const nf = judgeProbes(inputs(act, 3)).find((p) => p.id === 'non-finite')!;
    assert.equal(nf.outcome, 'fail');
    assert.match(nf.reason, /3 non-finite/);
  });

  it('a silent control population has no data (no window can hold the expected spikes)', () => {
    const act = activity((pop) => (pop === 1 ? 0 : 10), 3200);
    assert.equal(judgeProbes(inputs(act)).find((p) => p.id === 'rate.B')!.outcome, 'no-data');
  });
});
