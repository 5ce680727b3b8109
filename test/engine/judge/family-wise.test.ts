import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { holdFamilyWiseError, holmAdjust } from '../../../src/engine/judge/family-wise.js';
import type { ProbeVerdict } from '../../../src/engine/judge/probe-types.js';

const verdict = (id: string, outcome: ProbeVerdict['outcome'], pValue: number | null, effect: number | null = -0.5): ProbeVerdict => ({
  id, metric: 'rate', when: 'during', tolerance: 0.1, controlSpanMs: [0, 1], treatedSpanMs: [1, 2], windowMs: 1, controlWindows: 1, treatedWindows: 1, controlValues: [], treatedValues: [], expectedSpikesPerWindow: null,
  outcome, controlMean: 1, treatedMean: 1, effect, effectCi95: null, pValue, reason: `${id} changed`,
});

describe("Holm's family-wise correction over an experiment's probes (Holm 1979)", () => {
  it('adjusts the p-values that exist, in order: sorted p times (m - rank), made monotone, capped at 1; null stays null', () => {
    const adj = holmAdjust([0.01, null, 0.04, 0.03]);
    assert.equal(adj[1], null);
    // m = 3: 0.01 * 3 = 0.03; 0.03 * 2 = 0.06; 0.04 * 1 = 0.04 -> monotone 0.06.
    assert.deepEqual(adj.map((p) => (p === null ? null : Number(p.toFixed(10)))), [0.03, null, 0.06, 0.06]);
    assert.deepEqual(holmAdjust([null, null]), [null, null]);
    // A p-value that is not a probability is no test (the library would throw on NaN).
    assert.deepEqual(holmAdjust([Number.NaN, 0.01, 2]), [null, 0.01, null]);
  });

  it('one test is "1 test"; a p-value of 0 reads "< 0.0001"', () => {
    const [one] = holdFamilyWiseError([verdict('z', 'fail', 0)], 0.05);
    assert.equal(one.reason, "z changed (Holm-adjusted p < 0.0001 over the experiment's 1 test)");
  });

  it('a probe fails only when its adjusted p is below alpha; one that failed on its own p passes, saying why; a test-free probe is untouched', () => {
    const out = holdFamilyWiseError([verdict('a', 'fail', 0.01), verdict('b', 'fail', 0.04), verdict('c', 'pass', 0.03, 0.01), verdict('nf', 'fail', null, null)], 0.05);
    assert.deepEqual(out.map((v) => [v.id, v.outcome, v.pAdjusted === null || v.pAdjusted === undefined ? v.pAdjusted : Number(v.pAdjusted.toFixed(10))]), [['a', 'fail', 0.03], ['b', 'pass', 0.06], ['c', 'pass', 0.06], ['nf', 'fail', null]]);
    assert.match(out[0].reason, /^a changed \(Holm-adjusted p = 0.0300 over the experiment's 3 tests\)$/);
    // A demoted probe's reason opens with the corrected result.
    assert.equal(out[1].reason, "not significant once corrected for multiple tests (Holm-adjusted p = 0.0600 over the experiment's 3 tests, not below 0.05); alone: b changed");
    assert.equal(out[2].reason, 'c changed', 'a pass keeps its reason');
  });
});
