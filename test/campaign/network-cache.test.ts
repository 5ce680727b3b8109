import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeVersion } from '../../src/campaign/code-version.js';
import { expandCampaign } from '../../src/campaign/load-campaign.js';
import { NetworkCache } from '../../src/campaign/network-cache.js';
import { ReferenceCache } from '../../src/campaign/reference-run.js';
import { runJob } from '../../src/campaign/run-job.js';
import { createBackend } from '../../src/backends/create-backend.js';
import { buildNetwork } from '../../src/model/builder.js';
import { isLent } from '../../src/model/lent-network.js';
import { resolveModel } from '../../src/model/resolve-model.js';
import { tempDir } from '../helpers/temp-dir.js';
import { TINY_MODEL } from './helpers.js';

const spec = () => resolveModel({ model: 'cuba', scale: 0.05 });

test('network cache: a lent network is the network a fresh build gives, its connectivity shared read-only, shared memory where the build was', async () => {
  const cache = new NetworkCache();
  const fresh = buildNetwork(spec(), { seed: 3, dtMs: 0.1 });
  const first = cache.build(spec(), { seed: 3, dtMs: 0.1 });
  const second = cache.build(spec(), { seed: 3, dtMs: 0.1 });
  assert.deepEqual(first, fresh);
  assert.deepEqual(second, fresh);
  for (const name of ['rowPtr', 'targets', 'weightsPa', 'delaySteps'] as const) {
    assert.equal(first.synapses[name], second.synapses[name], `${name} is lent, not copied`);
    assert.ok(second.synapses[name].buffer instanceof SharedArrayBuffer, `${name} stays shared`);
  }
  assert.ok(isLent(first) && isLent(second));
  const unshared = cache.build(spec(), { seed: 3, dtMs: 0.1, shared: false });
  assert.ok(!(unshared.synapses.weightsPa.buffer instanceof SharedArrayBuffer));
  // What a fault does through a backend (its weights) or to a population's parameters never reaches the next network.
  first.populations[0].neuron.tauMembraneMs = 1;
  for (const backend of ['cpu', 'workers']) {
    const { backend: b } = createBackend(cache.build(spec(), { seed: 3, dtMs: 0.1 }), { backend, workers: backend === 'workers' ? 2 : 1, seed: 3 });
    try {
      b.synapses().weightsPa.fill(0);
      await b.run(5);
    } finally {
      await b.dispose();
    }
  }
  const third = cache.build(spec(), { seed: 3, dtMs: 0.1 });
  assert.deepEqual(third, fresh);
  // Another seed is another network.
  assert.notDeepEqual(cache.build(spec(), { seed: 4, dtMs: 0.1 }).synapses.targets, fresh.synapses.targets);
});

test('network cache: bad input is refused as buildNetwork refuses it, and nothing is kept', () => {
  const cache = new NetworkCache();
  assert.throws(() => cache.build(spec(), { seed: -1 }), /seed/);
  assert.throws(() => cache.build(spec(), { seed: -1 }), /seed/);
});

test('network cache: jobs run with a cache give the results of jobs that build every network (weights corrupted in one job do not reach the next)', async () => {
  const dir = tempDir('neurochaos-campaign-network-cache-');
  const c = expandCampaign(
    {
      title: 'cache',
      model: { name: TINY_MODEL },
      judge: { trials: 1 },
      trials: 2,
      experiment: { warmupMs: 20, baselineMs: 100, monitorIntervalMs: 10, holdMs: 20, observationMs: 30, recoveryTimeoutMs: 50 },
      measures: ['verdict', 'probes', 'rate-deviation', 'van-rossum'],
      sweeps: [{ name: 'w', fault: { kind: 'weight-corruption', source: 'E', target: 'E', mode: 'sign-flip' }, grid: { fraction: [0.5, 0.05] } }],
    },
    `${dir}/cache.yaml`,
  );
  const run = async (networks?: NetworkCache) => {
    const references = new ReferenceCache();
    try {
      const out = [];
      for (const e of c.jobs) out.push(await runJob(e.job, { workDir: dir, codeVersion: codeVersion(), references, networks }));
      return out;
    } finally {
      await references.clear();
    }
  };
  const built = await run();
  const cached = await run(new NetworkCache());
  assert.equal(built.length, 4);
  for (const r of built) assert.equal(r.status, 'ok', r.error);
  assert.equal(JSON.stringify(cached), JSON.stringify(built));
});
