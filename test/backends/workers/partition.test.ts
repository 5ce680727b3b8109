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

const cutsInside = (r: { lo: number; hi: number }, pop: { start: number; size: number }) => r.hi > pop.start && r.hi < pop.start + pop.size;

describe('partitionNeurons: pieces of every population, cut on cache lines', () => {
  const cases: [string, Network][] = [
    ['the scale-0.1 microcircuit', buildNetwork(microcircuitSpec({ scale: 0.1, kScale: 0.01 }), { seed: 1 })],
    ['odd sizes', populationsOf([2068, 581, 2190, 548, 485, 106, 1439, 300])],
    ['populations smaller than a line', populationsOf([5, 3, 40, 1, 17])],
    ['small populations, one of 15 and three of 20', populationsOf([15, 20, 20, 20])],
    ['populations of 1, 15, 16, 17 and 33', populationsOf([1, 15, 16, 17, 33])],
    // 16 x shards for 2-8 shards, and one neuron fewer: the first are cut on lines, the others evenly.
    ['populations of exactly 16 neurons per shard, and one fewer', populationsOf([32, 31, 48, 47, 64, 63, 80, 79, 96, 95, 112, 111, 128, 127])],
  ];
  for (const [name, net] of cases) {
    for (const shardCount of [1, 2, 3, 4, 5, 6, 7, 8]) {
      it(`${name}, ${shardCount} shards: every neuron owned once, cuts inside a population on multiples of 16, meeting pieces owned by one shard, merged order ascending`, () => {
        const shards = partitionNeurons(net, shardCount);
        const owner = new Int32Array(net.neuronCount).fill(-1);
        shards.forEach((s, k) =>
          s.ranges.forEach((r, p) => {
            const pop = net.populations[p];
            assert.ok(r.lo >= pop.start && r.lo <= r.hi && r.hi <= pop.start + pop.size, `shard ${k}, population ${p}: [${r.lo}, ${r.hi}) inside the population`);
            const aligned = pop.size >= 16 * shards.length;
            if (aligned) for (const cut of [r.lo, r.hi]) if (cut !== pop.start && cut !== pop.start + pop.size) assert.equal(cut % 16, 0, `shard ${k}, population ${p}: cut ${cut} on a line`);
            // No empty piece: aligned cuts are at least 8 neurons from each other and the ends; a small population is cut evenly.
            if (pop.size >= shards.length) assert.ok(r.hi > r.lo, `shard ${k}, population ${p} of ${pop.size}: an empty piece`);
            if (!aligned) {
              // floor(size * i / shards): piece i of the population, in the population's order of pieces.
              const piece = p % 2 === 0 ? k : shards.length - 1 - k;
              const cutAt = (i: number) => pop.start + Math.floor((pop.size * i) / shards.length);
              assert.deepEqual([r.lo, r.hi], [cutAt(piece), cutAt(piece + 1)], `shard ${k}, population ${p} of ${pop.size}: cut evenly`);
            } else if (cutsInside(r, pop)) {
              // An aligned cut is the even cut rounded to the nearest line.
              const piece = p % 2 === 0 ? k : shards.length - 1 - k;
              const even = pop.start + Math.floor((pop.size * (piece + 1)) / shards.length);
              if (r.hi !== pop.start + pop.size) assert.equal(r.hi, Math.round(even / 16) * 16, `shard ${k}, population ${p}: end on the line nearest the even cut`);
            }
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
        // The neurons on both sides of a population boundary have one owner (no line shared there), for any shard
        // count, where both populations are cut on lines.
        for (const [p, pop] of net.populations.entries()) {
          if (p === 0 || pop.size < 16 * shards.length || net.populations[p - 1].size < 16 * shards.length) continue;
          assert.equal(owner[pop.start], owner[pop.start - 1], `boundary at ${pop.start}`);
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

describe('partitionNeurons: small networks leave no shard idle', () => {
  it('one population of 15 on 2 shards, and three of 20 on 4: every shard owns neurons (a shard partition cuts something)', () => {
    for (const [sizes, shardCount] of [[[15], 2], [[20, 20, 20], 4], [[16], 8], [[100, 3], 6]] as [number[], number][]) {
      const shards = partitionNeurons(populationsOf(sizes), shardCount);
      shards.forEach((s, k) => assert.ok(s.ranges.some((r) => r.hi > r.lo), `${sizes} on ${shardCount}: shard ${k} owns nothing`));
    }
  });
});
