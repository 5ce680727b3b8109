import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError } from '../../src/util/errors.js';
import { exactSteps, isMultipleOfDt, msOfSteps, nearestStep, roundedSteps } from '../../src/util/time-steps.js';

const refused = (field: string, re: RegExp) => (e: unknown) => e instanceof InputError && e.field === field && re.test(e.message);

describe('time-steps: one rule for simulated time that becomes steps (issue 17.5)', () => {
  it('a user-written time off the dt grid is refused naming the field and the nearest valid values', () => {
    assert.throws(() => exactSteps(0.25, 0.1, 'durationMs'), refused('durationMs', /must be a multiple of dt = 0\.1 ms \(got 0\.25; nearest 0\.2 or 0\.3\)/));
    // 0.15 / 0.1 is 1.4999999999999998 in binary and 0.25 / 0.1 is 2.5: both are off the grid, both refused alike.
    assert.throws(() => exactSteps(0.15, 0.1, 'durationMs'), refused('durationMs', /nearest 0\.1 or 0\.2\)/));
    assert.throws(() => exactSteps(0.04, 0.1, 'durationMs'), refused('durationMs', /got 0\.04; nearest 0\.1\)/));
    assert.throws(() => exactSteps(1.05, 0.1, 'x'), refused('x', /nearest 1 or 1\.1\)/));
  });

  it('multiples of dt pass whatever their binary representation (tolerance 1e-9 relative)', () => {
    assert.equal(exactSteps(0.3, 0.1, 'x'), 3); // 0.3 / 0.1 = 2.9999999999999996
    assert.equal(exactSteps(0.7, 0.1, 'x'), 7);
    assert.equal(exactSteps(1.5, 0.1, 'x'), 15);
    assert.equal(exactSteps(1000, 0.1, 'x'), 10000);
    assert.equal(exactSteps(0.75, 0.05, 'x'), 15);
    assert.equal(exactSteps(1e7, 0.1, 'x'), 1e8);
    assert.ok(isMultipleOfDt(0.3, 0.1));
    assert.ok(!isMultipleOfDt(0.3 + 1e-6, 0.1));
  });

  it('zero steps are refused unless the field allows them', () => {
    assert.throws(() => exactSteps(0, 0.1, 'durationMs'), refused('durationMs', /must be at least 0\.1 ms \(1 step of dt = 0\.1 ms; got 0, which is 0 steps\)/));
    assert.equal(exactSteps(0, 0.1, 'warmupMs', { minSteps: 0 }), 0);
  });

  it('a derived time rounds to the nearest step, ties upwards, consistently across binary representations', () => {
    assert.equal(roundedSteps(0.15, 0.1, 'x'), 2);
    assert.equal(roundedSteps(0.25, 0.1, 'x'), 3);
    assert.equal(roundedSteps(0.35, 0.1, 'x'), 4);
    assert.equal(roundedSteps(0.14, 0.1, 'x'), 1);
    assert.equal(roundedSteps(0.3, 0.1, 'x'), 3);
    assert.equal(nearestStep(1.4999999999999998), 2);
    assert.equal(nearestStep(2.4), 2);
    assert.equal(nearestStep(2.5), 3);
  });

  it('a derived time that rounds to 0 steps is refused naming the field, unless 0 is allowed', () => {
    assert.throws(() => roundedSteps(0.04, 0.1, 'observationMs x --time-scale 0.001'), refused('observationMs x --time-scale 0.001', /must be at least 0\.1 ms/));
    assert.equal(roundedSteps(0.04, 0.1, 'warmupMs', { minSteps: 0 }), 0);
  });

  it('multiples of dt print without binary noise', () => {
    assert.equal(msOfSteps(3, 0.1), 0.3);
    assert.equal(msOfSteps(7, 0.1), 0.7);
  });
});
