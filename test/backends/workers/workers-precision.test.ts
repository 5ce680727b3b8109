import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../../src/backends/workers/workers-backend.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { cubaSpec } from '../../../src/model/cuba.js';
import type { Network } from '../../../src/model/network.js';
import { distinctPopulationsSpec } from '../../helpers/networks.js';

const open: { dispose(): Promise<void> }[] = [];
after(async () => {
  await Promise.all(open.map((b) => b.dispose()));
});

/** The cpu backend's spike hash, events and membranes after `steps` steps in single precision. */
async function cpuFloat32(net: Network, steps: number, batch: number, guards: boolean) {
  const ref = new ReferenceBackend(net, { batch, precision: 'float32', guards: { enabled: guards } });
  open.push(ref);
  await ref.run(steps);
  return { hash: ref.recorder.spikeHash(), spikes: ref.recorder.totalSpikes, events: ref.metrics().synapticEvents, v: ref.buffer('membraneMv').slice() };
}

describe('precision float32 on the workers backend', () => {
  for (const [name, net, steps, batch, guards] of [
    ['distinct populations (own LIF constants and drive each), 2 replicas, guards on', buildNetwork(distinctPopulationsSpec(), { seed: 11 }), 600, 2, true],
    ['cuba, guards off', buildNetwork(cubaSpec({ scale: 0.5 }), { seed: 3 }), 800, 1, false],
  ] as const) {
    it(`${name}: spikes and membranes identical for 1 to 4 workers and equal to the cpu backend's in float32`, async () => {
      const ref = await cpuFloat32(net, steps, batch, guards);
      assert.ok(ref.spikes > 100, 'the network fires');
      const f64 = new ReferenceBackend(net, { batch, guards: { enabled: guards } });
      open.push(f64);
      await f64.run(steps);
      assert.notDeepEqual(f64.buffer('membraneMv'), ref.v, 'float32 arithmetic gives other membranes than float64 (it ran)');
      for (const w of [1, 2, 3, 4]) {
        const b = new WorkersBackend(net, { workers: w, batch, precision: 'float32', guards: { enabled: guards } });
        open.push(b);
        await b.run(steps);
        assert.equal(b.precision, 'float32');
        assert.equal(b.recorder.spikeHash(), ref.hash, `${w} workers`);
        assert.equal(b.metrics().synapticEvents, ref.events, `${w} workers: events`);
        assert.deepEqual(b.buffer('membraneMv'), ref.v, `${w} workers: membranes`);
        await b.dispose();
      }
    });
  }

  it('continues bit for bit from a checkpoint: restored into a fresh float32 backend (cpu or 3 workers), the same spikes as an unbroken run', async () => {
    const net = buildNetwork(distinctPopulationsSpec(), { seed: 5 });
    const unbroken = await cpuFloat32(net, 700, 1, true);
    const first = new WorkersBackend(net, { workers: 2, precision: 'float32', guards: { enabled: true } });
    open.push(first);
    await first.run(300);
    const cp = first.checkpoint();
    for (const make of [() => new ReferenceBackend(net, { precision: 'float32', guards: { enabled: true } }), () => new WorkersBackend(net, { workers: 3, precision: 'float32', guards: { enabled: true } })]) {
      const b = make();
      open.push(b);
      b.restore(cp);
      await b.run(400);
      assert.equal(b.recorder.spikeHash(), unbroken.hash, b.name);
      assert.deepEqual(b.buffer('membraneMv'), unbroken.v, `${b.name}: membranes`);
    }
  });
});
