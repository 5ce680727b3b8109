import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../src/backends/workers/workers-backend.js';
import { WeightScrubber } from '../../src/defences/weight-scrubber.js';
import { ChaosEngine } from '../../src/engine/chaos-engine.js';
import { validateScenario } from '../../src/engine/load-scenario.js';
import { InputError } from '../../src/util/errors.js';
import { NO_PROJECTIONS_MODEL, noProjectionNetwork } from '../fixtures/models.js';

const dirs: string[] = [];
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('weight integrity on a network without synapses', () => {
  it('the scrubber over no weights has no block, checks nothing and costs nothing; a pass of 0 blocks is still refused', () => {
    const s = new WeightScrubber(new Uint32Array(0), { everySteps: 5 });
    assert.equal(s.blocks, 0);
    assert.equal(s.blocksPerPass, 1);
    assert.deepEqual(s.tick(5), []);
    assert.deepEqual(s.tick(500), []);
    assert.deepEqual(s.pass(600), []);
    assert.equal(s.stats.blocksChecked, 0);
    assert.equal(s.bytes, 0);
    assert.throws(() => new WeightScrubber(new Uint32Array(0), { blocksPerPass: 0 }), (e: unknown) => e instanceof InputError && e.field === 'scrub.blocksPerPass');
  });

  for (const make of [(scrub: boolean) => new ReferenceBackend(noProjectionNetwork(), { scrub: scrub ? { everySteps: 20 } : undefined }), (scrub: boolean) => new WorkersBackend(noProjectionNetwork(), { workers: 2, scrub: scrub ? { everySteps: 20 } : undefined })]) {
    it(`${make(false).name} with scrubbing on runs a network without synapses, spikes as with it off`, async () => {
      const hashes: string[] = [];
      for (const scrub of [true, false]) {
        const sim = make(scrub);
        try {
          await sim.run(200);
          assert.equal(sim.scrubber === null, !scrub);
          assert.ok(sim.recorder.totalSpikes > 0);
          hashes.push(sim.recorder.spikeHash());
        } finally {
          await sim.dispose();
        }
      }
      assert.equal(hashes[0], hashes[1]);
    });
  }

  it('an experiment on a model with no projections runs with the default defences (scrubbing on), and synapse faults are refused by name', async () => {
    const recordDir = mkdtempSync(join(tmpdir(), 'neurochaos-no-synapses-'));
    dirs.push(recordDir);
    const scenario = (fault: Record<string, unknown>) =>
      validateScenario({ title: 'no synapses', model: { name: NO_PROJECTIONS_MODEL }, backend: 'cpu', defaults: { warmupMs: 5, baselineMs: 20, monitorIntervalMs: 5, holdMs: 5 }, experiments: [{ id: 'e', fault, observationMs: 10, recoveryTimeoutMs: 50 }] });
    const journal = await new ChaosEngine(scenario({ kind: 'neuron-fault', mode: 'dead', target: { populations: ['E'], percent: 10 } }), { recordDir }).run();
    assert.equal(journal.experiments.length, 1);
    assert.ok(!/scrub/.test(journal.experiments[0].abortReason ?? ''), journal.experiments[0].abortReason);
    assert.equal(journal.experiments[0].status, 'completed', journal.experiments[0].abortReason);
    assert.ok(journal.experiments[0].steps.some((s) => s.name === 'inject' && s.status !== 'failed'), 'the fault was injected');
    for (const fault of [
      { kind: 'weight-corruption', fraction: 0.1, mode: 'bit-flip' },
      { kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] } },
      { kind: 'cascading-failure', initial: { kind: 'weight-corruption', population: 'E', fraction: 0.1 }, propagationDelayMs: 5 },
    ]) {
      await assert.rejects(new ChaosEngine(scenario(fault), { recordDir }).run(), (e: unknown) => e instanceof InputError && /needs synapses, and the network has none/.test(e.message) && e.message.startsWith(`experiments[0].fault.${fault.kind === 'cascading-failure' ? 'initial.kind' : 'kind'}: ${fault.kind}`), JSON.stringify(fault));
    }
  });
});
