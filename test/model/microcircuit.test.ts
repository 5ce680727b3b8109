import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MICROCIRCUIT_FULL_SIZES, microcircuitSpec, pscPerPsp, MICROCIRCUIT_NEURON } from '../../src/model/microcircuit.js';
import { InputError } from '../../src/util/errors.js';

const countOf = (spec: ReturnType<typeof microcircuitSpec>, src: string, tgt: string) => {
  const p = spec.projections.find((x) => x.source === src && x.target === tgt);
  return p && p.rule.kind === 'fixed-total-number' ? p.rule.count : 0;
};
const meanWeight = (spec: ReturnType<typeof microcircuitSpec>, src: string, tgt: string) => {
  const w = spec.projections.find((x) => x.source === src && x.target === tgt)!.weightPa;
  return w.kind === 'normal' ? w.mean : w.value;
};

describe('microcircuit', () => {
  it('has the published population sizes at scale 1 and 7,717 neurons at scale 0.1 (numpy rounding)', () => {
    assert.deepEqual(microcircuitSpec({ scale: 1 }).populations.map((p) => p.size), [...MICROCIRCUIT_FULL_SIZES]);
    const small = microcircuitSpec({ scale: 0.1 });
    assert.equal(small.populations.reduce((a, p) => a + p.size, 0), 7717);
    assert.equal(small.populations[5].size, 106); // 106.5 rounds to even
  });

  it('derives a PSC of 87.81 pA from a 0.15 mV PSP', () => {
    assert.ok(Math.abs(0.15 * pscPerPsp(MICROCIRCUIT_NEURON) - 87.81) < 0.01);
  });

  it('uses g = -4, doubles L4E -> L23E and has about 0.3 billion synapses at full scale', () => {
    const spec = microcircuitSpec({ scale: 1 });
    const w = meanWeight(spec, 'L23E', 'L23E');
    assert.ok(Math.abs(meanWeight(spec, 'L23I', 'L23E') / w + 4) < 1e-12);
    assert.ok(Math.abs(meanWeight(spec, 'L4E', 'L23E') / w - 2) < 1e-12);
    const total = spec.projections.reduce((a, p) => a + (p.rule.kind === 'fixed-total-number' ? p.rule.count : 0), 0);
    assert.ok(total > 2.9e8 && total < 3.1e8, `total ${total}`);
    // K = log(1 - p) / log(1 - 1 / (N_pre N_post)) for L23E -> L23E, p = 0.1009
    const n = 20683;
    assert.equal(countOf(spec, 'L23E', 'L23E'), Math.round(Math.log(1 - 0.1009) / Math.log((n * n - 1) / (n * n))));
  });

  it('with k-scale 1 adds no DC; with k-scale < 1 scales weights by 1/sqrt(k) and compensates with DC', () => {
    const full = microcircuitSpec({ scale: 0.1, kScale: 1 });
    assert.ok(full.populations.every((p) => p.drives.every((d) => d.kind === 'poisson')));
    const k = 0.25;
    const scaled = microcircuitSpec({ scale: 0.1, kScale: k });
    assert.ok(Math.abs(meanWeight(scaled, 'L4E', 'L4E') / meanWeight(full, 'L4E', 'L4E') - 2) < 1e-12);
    for (const p of scaled.populations) {
      const dc = p.drives.find((d) => d.kind === 'dc');
      assert.ok(dc && dc.kind === 'dc' && dc.currentPa > 0, `${p.name} has a positive compensating DC`);
    }
    const ratio = countOf(scaled, 'L23E', 'L23E') / countOf(full, 'L23E', 'L23E');
    assert.ok(Math.abs(ratio - k) < 0.001);
  });

  it('offers DC background instead of Poisson', () => {
    const dc = microcircuitSpec({ scale: 0.1, background: 'dc' });
    for (const p of dc.populations) {
      assert.deepEqual(p.drives.map((d) => d.kind), ['dc']);
    }
  });

  it('refuses scales outside [0.001, 1] naming the field', () => {
    assert.throws(() => microcircuitSpec({ scale: 0 }), (e: unknown) => e instanceof InputError && e.field === 'scale' && /\[0\.001, 1\]/.test(e.message));
    assert.throws(() => microcircuitSpec({ kScale: 2 }), (e: unknown) => e instanceof InputError && e.field === 'kScale');
    assert.throws(() => microcircuitSpec({ scale: Number.NaN }), InputError);
  });
});
