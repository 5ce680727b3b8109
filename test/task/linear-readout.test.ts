import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chanceLevel, LinearReadout } from '../../src/task/linear-readout.js';
import type { TaskSamples } from '../../src/task/collect-samples.js';
import { StreamRng } from '../../src/util/rng.js';

/** Noisy class prototypes in `d` dimensions (separable when noise is small), labels cycling over the classes. */
function synthetic(n: number, d: number, classes: number, noise: number, seed: string, shuffleLabels = false): TaskSamples {
  const rng = new StreamRng(seed);
  const protos = Array.from({ length: classes }, (_, c) => Float64Array.from({ length: d }, (_, k) => ((k * 7 + c * 13) % classes === 0 ? 5 : 0)));
  const s: TaskSamples = { features: [], labels: [], replicas: [], rounds: [], classes };
  for (let i = 0; i < n; i++) {
    const label = i % classes;
    s.features.push(Float64Array.from(protos[label], (v) => v + noise * rng.normal()));
    s.labels.push(shuffleLabels ? rng.below(classes) : label);
    s.replicas.push(i % 3);
    s.rounds.push(Math.floor(i / 3));
  }
  return s;
}

test('a readout separates separable classes, in the primal (n > d) and the dual (n < d)', () => {
  for (const [n, d] of [[120, 20], [40, 300]]) {
    const train = synthetic(n, d, 4, 0.5, `train${d}`);
    const test = synthetic(60, d, 4, 0.5, `test${d}`);
    const r = LinearReadout.fit(train);
    assert.equal(r.accuracy(test), 1, `n=${n} d=${d}`);
    assert.ok(r.lambda > 0);
  }
});

test('labels unrelated to the features give about chance on held-out samples', () => {
  const r = LinearReadout.fit(synthetic(200, 30, 4, 1, 'a', true));
  const acc = r.accuracy(synthetic(400, 30, 4, 1, 'b', true));
  assert.ok(acc < 0.4, `accuracy ${acc} on shuffled labels should be near 0.25`);
});

test('accuracy per replica and chance level', () => {
  const train = synthetic(90, 10, 3, 0.3, 'c');
  const r = LinearReadout.fit(train);
  const per = r.accuracyByReplica(train);
  assert.deepEqual(per.map((p) => p.replica), [0, 1, 2]);
  assert.equal(per.reduce((a, p) => a + p.samples, 0), 90);
  assert.equal(chanceLevel(train), 1 / 3);
  assert.equal(chanceLevel({ ...train, labels: [0, 0, 0, 1] }), 0.75);
});

test('bad readout input names the field', () => {
  const s = synthetic(10, 4, 2, 0.1, 'd');
  assert.throws(() => LinearReadout.fit({ ...s, features: s.features.slice(0, 1), labels: [0] }), /samples: a readout needs at least 2/);
  assert.throws(() => LinearReadout.fit(s, { lambdas: [1, -1] }), /lambdas\[1\]: must be a number > 0/);
  assert.throws(() => LinearReadout.fit(s, { folds: 1 }), /folds: must be an integer in \[2, 20\]/);
  assert.throws(() => LinearReadout.fit(s).predict(new Float64Array(3)), /features: must have 4 entries/);
});
