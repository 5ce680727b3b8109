import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpikeRecorder } from '../../src/record/spike-recorder.js';
import { SpikeStore } from '../../src/record/spike-store.js';

function filled(n: number): SpikeStore {
  const s = new SpikeStore();
  const one = new Int32Array(1);
  for (let i = 0; i < n; i++) {
    one[0] = i % 1000;
    s.append(i, one, 0, 1);
  }
  return s;
}

describe('SpikeStore', () => {
  it('keeps pairs in order across chunks and round-trips through fromPairs', () => {
    const s = filled(150_000);
    const pairs = s.toPairs();
    assert.equal(pairs.length, 300_000);
    assert.equal(pairs[2 * 140_000], 140_000);
    assert.deepEqual(SpikeStore.fromPairs(pairs).toPairs(), pairs);
  });

  for (const keep of [0, 1, 65_535, 65_536, 65_537, 131_072, 149_999, 150_000]) {
    it(`truncates to ${keep} pairs and appends after`, () => {
      const s = filled(150_000);
      s.truncateTo(keep);
      assert.equal(s.count, keep);
      const one = Int32Array.of(7);
      s.append(999_999, one, 0, 1);
      const p = s.toPairs();
      assert.equal(p.length, 2 * (keep + 1));
      if (keep > 0) assert.equal(p[2 * (keep - 1)], keep - 1);
      assert.equal(p[2 * keep], 999_999);
    });
  }
});

describe('SpikeRecorder', () => {
  it('rewinds to a mark: spikes and counts after it are forgotten', () => {
    const r = new SpikeRecorder(10, 2);
    r.record(0, 0, Int32Array.of(1, 2), 2);
    r.record(0, 1, Int32Array.of(3), 1);
    const hash = r.spikeHash();
    const mark = r.mark(1);
    r.record(1, 0, Int32Array.of(1), 1);
    r.record(1, 1, Int32Array.of(4, 5), 2);
    assert.notEqual(r.spikeHash(), hash);
    r.rewind(mark);
    assert.equal(r.spikeHash(), hash);
    assert.equal(r.totalSpikes, 3);
    assert.deepEqual([...r.counts], [0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });

  it('hashes replicas independently; batch 1 hashes like the replica alone', () => {
    const a = new SpikeRecorder(5, 1);
    a.record(3, 0, Int32Array.of(0, 4), 2);
    const b = new SpikeRecorder(5, 2);
    b.record(3, 0, Int32Array.of(0, 4), 2);
    assert.equal(a.spikeHash(), a.replicaHash(0).slice(0, 16));
    assert.equal(b.replicaHash(0), a.replicaHash(0));
    assert.notEqual(b.spikeHash(), a.spikeHash());
  });
});
