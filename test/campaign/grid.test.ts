import assert from 'node:assert/strict';
import { test } from 'node:test';
import { crossProduct, parseAxis, withField } from '../../src/campaign/grid.js';
import { InputError } from '../../src/util/errors.js';

test('log and linear ranges give their points; lists keep their order', () => {
  assert.deepEqual(parseAxis('fraction', { log: [1e-4, 1], points: 5 }, 'f').values, [1e-4, 1e-3, 0.01, 0.1, 1]);
  assert.deepEqual(parseAxis('rateHz', { linear: [0, 100], points: 3 }, 'f').values, [0, 50, 100]);
  const a = parseAxis('mode', ['sign-flip', 'stuck-at-zero'], 'f');
  assert.deepEqual(a.values, ['sign-flip', 'stuck-at-zero']);
  assert.equal(a.numeric, false);
});

test('a bad axis names its field', () => {
  const field = (raw: unknown, key = 'fraction') => {
    try {
      parseAxis(key, raw, 'c.sweeps[0].grid.fraction');
    } catch (e) {
      assert.ok(e instanceof InputError);
      return e.field;
    }
    return null;
  };
  assert.equal(field({ log: [0, 1], points: 3 }), 'c.sweeps[0].grid.fraction.log');
  assert.equal(field({ linear: [0, 1], points: 1.5 }), 'c.sweeps[0].grid.fraction.points');
  assert.equal(field({ linear: [0, 1], points: 3, step: 1 }), 'c.sweeps[0].grid.fraction.step');
  assert.equal(field([1, null]), 'c.sweeps[0].grid.fraction[1]');
  assert.equal(field([1, 1]), 'c.sweeps[0].grid.fraction');
  assert.equal(field([1], 'id'), 'c.sweeps[0].grid.fraction');
});

test('the cross product runs the first axis outermost; dotted keys set nested fields', () => {
  const pts = crossProduct([parseAxis('a', [1, 2], 'f'), parseAxis('b', ['x', 'y'], 'f')]);
  assert.deepEqual(pts, [{ a: 1, b: 'x' }, { a: 1, b: 'y' }, { a: 2, b: 'x' }, { a: 2, b: 'y' }]);
  const base = { kind: 'neuron-fault', target: { populations: ['E'], percent: 10 } };
  assert.deepEqual(withField(base, 'target.percent', 50), { kind: 'neuron-fault', target: { populations: ['E'], percent: 50 } });
  assert.equal(base.target.percent, 10, 'the base is not changed');
});
