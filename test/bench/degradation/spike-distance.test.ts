import { test } from 'node:test';
import assert from 'node:assert/strict';
import { vanRossumPerNeuron } from '../../../bench/degradation/spike-distance.js';

const pairs = (...p: [number, number][]) => Int32Array.from(p.flat());

test('identical trains are at distance 0; one extra spike adds 1/2 (per neuron averaged)', () => {
  const a = pairs([10, 0], [50, 1], [90, 0]);
  assert.equal(vanRossumPerNeuron(a, a, 0, 100, 2, 100), 0);
  const b = pairs([10, 0], [50, 1], [70, 1], [90, 0]);
  assert.ok(Math.abs(vanRossumPerNeuron(a, b, 0, 100, 2, 100) - 0.25 - 0 * 0) < 0.2, 'close to 1/2 per 2 neurons, less the overlap with the spike at 50');
  const far = pairs([10, 0], [50, 1], [90, 0], [5000, 1]);
  assert.ok(Math.abs(vanRossumPerNeuron(a, far, 0, 10_000, 2, 10) - 0.25) < 1e-9, 'an isolated extra spike: (1/2) / 2 neurons');
});

test('a shift by dt grows with the shift and saturates at one spike each side', () => {
  const a = pairs([100, 0]);
  const d = (shift: number) => vanRossumPerNeuron(a, pairs([100 + shift, 0]), 0, 100_000, 1, 100);
  assert.ok(d(0) === 0 && d(10) < d(50) && d(50) < d(500));
  assert.ok(Math.abs(d(100_00) - 1) < 1e-9);
  // Closed form for one shifted spike: 1 - exp(-|s| / tau).
  assert.ok(Math.abs(d(50) - (1 - Math.exp(-0.5))) < 1e-12);
});

test('only spikes inside [from, to) count', () => {
  const a = pairs([5, 0], [15, 0]);
  const b = pairs([15, 0]);
  assert.equal(vanRossumPerNeuron(a, b, 10, 20, 1, 10), 0);
  assert.ok(vanRossumPerNeuron(a, b, 0, 20, 1, 10) > 0);
});
