import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { judgeSpikeDistance, normalisedSpikeDistance, vanRossumSquared } from '../../../src/engine/judge/spike-distance.js';
import type { JudgeSide, MetricInputs } from '../../../src/engine/judge/probe-types.js';
import { resolveProbes } from '../../../src/engine/probe-schema.js';
import { StreamRng } from '../../../src/util/rng.js';

describe('van Rossum distance (van Rossum 2001)', () => {
  it('closed form: 0 for identical trains, 1 - exp(-d / tau) for one spike shifted by d, (n + m) / 2 for far-apart spikes', () => {
    assert.equal(vanRossumSquared([1, 5, 9], [1, 5, 9], 10), 0);
    for (const d of [0.5, 3, 10, 40]) assert.ok(Math.abs(vanRossumSquared([100], [100 + d], 10) - (1 - Math.exp(-d / 10))) < 1e-12, `shift ${d}`);
    assert.ok(Math.abs(vanRossumSquared([0, 1000], [5000, 6000, 7000], 10) - 2.5) < 1e-12);
    assert.equal(vanRossumSquared([], [], 10), 0);
    assert.equal(vanRossumSquared([3], [], 10), 0.5);
  });

  it('the normalised distance pools neurons: 0 identical, 1 for spikes far apart, in between for jitter of the order of tau', () => {
    const pops = [{ name: 'A', index: 0, start: 0, size: 3 }];
    // (step, neuron) pairs at dt 1 ms.
    const a = Int32Array.from([10, 0, 20, 1, 500, 2]);
    assert.equal(normalisedSpikeDistance(a, a, pops, 0, 1000, 1, 10), 0);
    const far = Int32Array.from([300, 0, 320, 1, 900, 2]);
    assert.ok(Math.abs(normalisedSpikeDistance(a, far, pops, 0, 1000, 1, 10)! - 1) < 1e-6);
    const jitter = Int32Array.from([12, 0, 22, 1, 502, 2]);
    const d = normalisedSpikeDistance(a, jitter, pops, 0, 1000, 1, 10)!;
    assert.ok(Math.abs(d - (1 - Math.exp(-0.2))) < 1e-12, `${d}`);
    // Only the steps [from, to) count, and no spike at all is no data.
    assert.equal(normalisedSpikeDistance(a, far, pops, 600, 800, 1, 10), null);
  });

  it('the probe: passes for trains that keep their timing, fails beyond its bound, has no data without pairs or when the pairs already differ', () => {
    const pops = [{ name: 'A', index: 0, start: 0, size: 50 }];
    const rng = new StreamRng('trains');
    // Poisson-like trains of 50 neurons at 20 Hz over 2 s, dt 1 ms; the treated copy keeps the first second and is redrawn after.
    const control: number[] = [];
    const treated: number[] = [];
    for (let step = 0; step < 2000; step++) {
      for (let i = 0; i < 50; i++) {
        const c = rng.uniform() < 0.02;
        const t = step < 1000 ? c : rng.uniform() < 0.02;
        if (c) control.push(step, i);
        if (t) treated.push(step, i);
      }
    }
    const trains = [Int32Array.from(control), Int32Array.from(treated)];
    const counts = (r: number) => {
      const out = new Uint32Array(2000);
      for (let k = 0; k < trains[r].length; k += 2) out[trains[r][k]]++;
      return out;
    };
    const binned = [counts(0), counts(1)];
    const side = (r: number, bins: [number, number]): JudgeSide => ({ activity: { at: (bin, replica) => binned[replica][bin] ?? 0 }, replicas: [r], bins, samples: [], spikes: (x) => trains[x] });
    const probe = resolveProbes([{ id: 'timing', metric: 'spike-distance', population: 'A' }], ['A'], 0.1, 'p')[0];
    const inputs = (bins: [number, number], pairs: [number, number][] = [[0, 1]], pairingBins: [number, number] | null = [0, 500]): MetricInputs => ({ probe, when: 'during', control: side(0, bins), treated: side(1, bins), populations: pops, binSteps: 1, dtMs: 1, pairs, pairingBins, alpha: 0.05, minExpectedSpikes: 50, seedKey: 'sd' });
    const same = judgeSpikeDistance(inputs([0, 1000]));
    assert.deepEqual([same.outcome, same.treatedMean], ['pass', 0]);
    const diverged = judgeSpikeDistance(inputs([1000, 2000]));
    assert.equal(diverged.outcome, 'fail', diverged.reason);
    assert.ok(diverged.treatedMean! > 0.8 && diverged.treatedMean! < 1.2, `${diverged.treatedMean}`);
    assert.ok(diverged.effectCi95![0] > 0.5 && diverged.pValue! < 0.05);
    assert.equal(judgeSpikeDistance(inputs([1000, 2000], [])).outcome, 'no-data');
    const unpaired = judgeSpikeDistance(inputs([1000, 2000], [[0, 1]], [0, 2000]));
    assert.equal(unpaired.outcome, 'no-data');
    assert.match(unpaired.reason, /already differ before injection: they are not paired/);
  });
});
