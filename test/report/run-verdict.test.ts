import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Journal } from '../../src/engine/journal.js';
import { runVerdict } from '../../src/report/run-verdict.js';

const exp = (id: string, outcome: string) => ({ id, verdict: { outcome, reasons: outcome === 'pass' ? [] : ['why'] } });
const journal = (status: string, outcomes: string[], extra: object = {}) => ({ status, experiments: outcomes.map((o, i) => exp(`e${i}`, o)), ...extra }) as unknown as Journal;

test('runVerdict: PASS only when the run completed and every experiment passed', () => {
  assert.equal(runVerdict(journal('completed', ['pass', 'pass'])).outcome, 'PASS');
  assert.deepEqual(runVerdict(journal('completed', ['pass', 'pass'])).reasons, []);
  const fail = runVerdict(journal('completed', ['pass', 'fail', 'fail']));
  assert.equal(fail.outcome, 'FAIL');
  assert.deepEqual(fail.reasons, ['2 of 3 experiment(s) failed: e1, e2']);
  assert.deepEqual(fail.counts, { pass: 1, fail: 2, interrupted: 0, 'not-run': 0 });
  assert.equal(runVerdict(journal('aborted', ['pass'])).outcome, 'FAIL', 'an aborted run does not pass');
});

test('runVerdict: INTERRUPTED and NOT RUN; a missing verdict counts as failed; the journal\'s own run verdict wins', () => {
  assert.equal(runVerdict(journal('interrupted', ['pass', 'interrupted', 'not-run'])).outcome, 'INTERRUPTED');
  assert.equal(runVerdict(journal('completed', ['not-run', 'not-run'])).outcome, 'NOT RUN');
  assert.equal(runVerdict(journal('completed', [])).outcome, 'NOT RUN');
  const noVerdict = { status: 'completed', experiments: [{ id: 'x' }] } as unknown as Journal;
  assert.equal(runVerdict(noVerdict).outcome, 'FAIL');
  const own = runVerdict(journal('completed', ['pass'], { verdict: { outcome: 'fail', reasons: ['the run says so'] } }));
  assert.deepEqual([own.outcome, own.reasons], ['FAIL', ['the run says so']]);
});
