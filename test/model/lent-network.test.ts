import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createBackend } from '../../src/backends/create-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { copyNetwork, isLent, lendNetwork, ownedNetwork } from '../../src/model/lent-network.js';
import { smallNetworkSpec } from '../helpers/networks.js';

const net = () => buildNetwork(smallNetworkSpec(200), { seed: 4, dtMs: 0.1 });

describe('lent networks', () => {
  it('lend shares the connectivity arrays and copies the rest; owned copies a lent network only', () => {
    const n = net();
    const lent = lendNetwork(n);
    assert.ok(isLent(lent));
    assert.ok(!isLent(net()));
    assert.equal(lent.synapses.weightsPa, n.synapses.weightsPa);
    assert.notEqual(lent.populations, n.populations);
    assert.deepEqual(lent, n);
    const own = ownedNetwork(lent);
    assert.ok(!isLent(own));
    assert.notEqual(own.synapses.weightsPa.buffer, n.synapses.weightsPa.buffer);
    assert.deepEqual(own, n);
    const plain = net();
    assert.equal(ownedNetwork(plain), plain, 'a network of the caller\'s own is not copied');
    const copy = copyNetwork(n);
    assert.ok(copy.synapses.weightsPa.buffer instanceof SharedArrayBuffer === n.synapses.weightsPa.buffer instanceof SharedArrayBuffer);
  });

  for (const backend of ['cpu', 'workers'] as const) {
    it(`a ${backend} backend built over a lent network writes its own connectivity, never the lender's`, async () => {
      const n = net();
      const before = n.synapses.weightsPa.slice();
      const { backend: b } = createBackend(lendNetwork(n), { backend, workers: backend === 'workers' ? 2 : 1, seed: 4 });
      try {
        const live = b.synapses().weightsPa;
        assert.notEqual(live.buffer, n.synapses.weightsPa.buffer);
        live.fill(0); // what a weight fault does
        await b.run(20);
        assert.deepEqual(n.synapses.weightsPa, before);
      } finally {
        await b.dispose();
      }
    });
  }
});
