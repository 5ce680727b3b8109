import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { partitionNeurons, piecesInOrder } from '../../../src/backends/workers/partition.js';
import type { Network } from '../../../src/model/network.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { microcircuitSpec } from '../../../src/model/microcircuit.js';

/** The populations of a network, which is all partitionNeurons reads. */
const populationsOf = (sizes: number[]) => {
  let start = 0;
  const populations = sizes.map((size, i) => {
    const p = { name: `P${i}`, start, size };
    start += size;
    return p;
  });
  return { populations, neuronCount: start } as unknown as Network;
};

describe('partitionNeurons: pieces of every population, cut on cache lines', () => {
  const cases: [string, Network][] = [
    ['the scale-0.1 microcircuit', buildNetwork(microcircuitSpec({ scale: 0.1, kScale: 0.01 }), { seed: 1 })],
    ['odd sizes', populationsOf([2068, 581, 2190, 548, 485, 106, 1439, 300])],
    ['populations smaller than a line', populationsOf([5, 3, 40, 1, 17])],
  ];
  for (const [name, net] of cases) {
    for (const shardCount of [1, 2, 3, 4, 8]) {
      it(`${name}, ${shardCount} shards: every neuron owned once, cuts inside a population on multiples of 16, meeting pieces owned by one shard, merged order ascending`, () => {
        const shards = partitionNeurons(net, shardCount);
        const owner = new Int32Array(net.neuronCount).fill(-1);
        shards.forEach((s, k) =>
          s.ranges.forEach((r, p) => {
            const pop = net.populations[p];
            assert.ok(r.lo >= pop.start && r.lo <= r.hi && r.hi <= pop.start + pop.size, `shard ${k}, population ${p}: [${r.lo}, ${r.hi}) inside the population`);
            for (const cut of [r.lo, r.hi]) if (cut !== pop.start && cut !== pop.start + pop.size) assert.equal(cut % 16, 0, `shard ${k}, population ${p}: cut ${cut} on a line`);
            for (let i = r.lo; i < r.hi; i++) {
              assert.equal(owner[i], -1, `neuron ${i} owned twice`);
              owner[i] = k;
            }
          }),
        );
        assert.ok(owner.every((k) => k >= 0), 'every neuron owned');
        // Sizes stay even within a line per population: no shard idles while another works.
        for (const [p, pop] of net.populations.entries()) {
          for (const s of shards) assert.ok(Math.abs(s.ranges[p].hi - s.ranges[p].lo - pop.size / shards.length) <= 16, `population ${p}: pieces within 16 of an even split`);
        }
        // With 2 shards, the neurons on both sides of a population boundary have one owner (no line shared there).
        if (shards.length === 2) {
          for (const pop of net.populations.slice(1)) {
            const before = owner[pop.start - 1];
            const after = owner[pop.start];
            if (pop.size >= 32 && net.populations[net.populations.indexOf(pop) - 1].size >= 32) assert.equal(after, before, `boundary at ${pop.start}`);
          }
        }
        // Reading the shards' pieces in piecesInOrder's order visits the neurons in ascending order.
        const order = piecesInOrder(shards);
        const merged: number[] = [];
        order.forEach((ks, p) => ks.forEach((k) => {
          for (let i = shards[k].ranges[p].lo; i < shards[k].ranges[p].hi; i++) merged.push(i);
        }));
        assert.deepEqual(merged, Array.from({ length: net.neuronCount }, (_, i) => i));
      });
    }
  }
});
