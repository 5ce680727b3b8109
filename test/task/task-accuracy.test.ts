import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { buildNetwork } from '../../src/model/builder.js';
import { microcircuitSpec } from '../../src/model/microcircuit.js';
import { ColumnTask } from '../../src/task/task-accuracy.js';
import { resolveTaskOptions } from '../../src/task/task-options.js';
import { roundLabels } from '../../src/task/stimulus.js';

// Scale 0.02 with in-degrees scaled by 0.1: 1,544 neurons, 0.6 M synapses; a few seconds per 100 samples.
const net = buildNetwork(microcircuitSpec({ scale: 0.02, kScale: 0.1 }), { seed: 1 });

test('the unfaulted column scores far above chance; most of L4 dead brings it down', async () => {
  const sim = new ReferenceBackend(net, { batch: 4 });
  try {
    const chaos = new ChaosController(sim, { seed: 3 });
    await sim.run(1000);
    const task = new ColumnTask(chaos);
    const { readout, score } = await task.train({ trainRounds: 20, testRounds: 10 });
    assert.equal(score.trainSamples, 80);
    assert.equal(score.testSamples, 40);
    assert.equal(score.perReplica.length, 4);
    assert.ok(score.chance >= 0.25 && score.chance <= 0.3, `chance ${score.chance}`);
    assert.ok(score.accuracy >= score.chance + 0.4, `healthy accuracy ${score.accuracy} should be far above chance ${score.chance}`);
    const impact = await task.faultImpact(readout, score.accuracy, { kind: 'neuron-fault', mode: 'dead', target: { populations: ['L4E', 'L4I'], percent: 90 } }, { testRounds: 10, adaptationRounds: [] });
    assert.ok(impact.accuracyLoss >= 0.3, `90% of L4 dead should cost accuracy: ${score.accuracy} -> ${impact.faultedAccuracy}`);
    assert.equal(chaos.active.length, 0, 'faultImpact stops its fault');
    assert.equal((sim.buffer('faultCode') as Uint8Array).some((c) => c !== 0), false);
  } finally {
    await sim.dispose();
  }
});

test('a mild fault leaves the task near its healthy score, and retraining is measured per training-set size', async () => {
  const sim = new ReferenceBackend(net, { batch: 4 });
  try {
    const chaos = new ChaosController(sim, { seed: 3 });
    await sim.run(1000);
    const task = new ColumnTask(chaos, { seed: 2 });
    const { readout, score } = await task.train({ trainRounds: 20, testRounds: 8 });
    const impact = await task.faultImpact(readout, score.accuracy, { kind: 'neuron-fault', mode: 'dead', target: { populations: ['L6E'], percent: 5 } }, { testRounds: 8, adaptationRounds: [4, 20] });
    assert.ok(impact.accuracyLoss <= 0.2, `5% of L6E dead: ${score.accuracy} -> ${impact.faultedAccuracy}`);
    assert.deepEqual(impact.adaptation.map((a) => a.trainSamples), [16, 80]);
    assert.ok(impact.adaptation[1].accuracy >= score.chance + 0.3, `retrained on 80 samples: ${impact.adaptation[1].accuracy}`);
    if (impact.recovered) assert.ok(impact.samplesToRecover !== null && impact.samplesToRecover <= 80);
  } finally {
    await sim.dispose();
  }
});

test('task options are checked against the network', () => {
  assert.throws(() => resolveTaskOptions(net, { classes: 1 }), /task\.classes: must be an integer in \[2, 64\]/);
  assert.throws(() => resolveTaskOptions(net, { inputPopulations: ['L4E', 'L9'] }), /task\.inputPopulations\[1\]: unknown population "L9"/);
  assert.throws(() => resolveTaskOptions(net, { rateHz: 20000 }), /task\.rateHz: must be in \(0, 1\/dt = 10000\]/);
  const t = resolveTaskOptions(net, { segments: 3, segmentMs: 10, readoutLagMs: 5 });
  assert.equal(t.windowSteps, 350);
  assert.equal(t.readoutNeurons.length, net.populations.filter((p) => p.name === 'L23E' || p.name === 'L5E').reduce((a, p) => a + p.size, 0));
});

test('round labels cover every class once per batch of B = classes', () => {
  for (const step of [0, 600, 1200]) assert.deepEqual([...roundLabels(1, step, 4, 4)].sort(), [0, 1, 2, 3]);
  assert.deepEqual(roundLabels(1, 600, 4, 8), roundLabels(1, 600, 4, 8));
});
