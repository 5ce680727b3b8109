import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { journalPassed } from '../../src/engine/chaos-engine.js';
import { JOURNAL_FORMAT_VERSION, upgradeJournal, type Journal } from '../../src/engine/journal.js';

const FIXTURE = new URL('../../../test/fixtures/journal-v1.json', import.meta.url);
const v1 = () => JSON.parse(readFileSync(FIXTURE, 'utf8')) as Journal;

describe('journal format', () => {
  it('the format-1 fixture has no formatVersion; upgradeJournal reads it as the current format without changing it', () => {
    const j = v1();
    assert.equal(j.formatVersion, undefined);
    const before = JSON.stringify(j);
    const u = upgradeJournal(j);
    assert.equal(JSON.stringify(j), before, 'the input is not changed');
    assert.equal(u.formatVersion, JOURNAL_FORMAT_VERSION);
    assert.equal(u.experiments.length, 2);
    for (const e of u.experiments) {
      assert.equal(e.fault.endedAtMs, null, 'unknown in format 1');
      // Both held before and after and met the SLA, but the steady state broke during the fault: today's rules fail them.
      assert.deepEqual(e.verdict, { outcome: 'fail', reasons: ['the steady state did not hold during the observation window'] });
    }
    assert.equal(u.report.overall, j.report.overall, 'scores stay as that version computed them');
    assert.equal(upgradeJournal(u), u, 'the current format passes through');
  });

  it('refuses a format newer than it knows', () => {
    assert.throws(() => upgradeJournal({ ...v1(), formatVersion: JOURNAL_FORMAT_VERSION + 1 }), /newer than this neurochaos reads/);
  });

  it('journalPassed counts the hypotheses before and during, not only after (format 1 judged afresh)', () => {
    const j = v1();
    assert.equal(j.status, 'completed');
    assert.ok(j.experiments.every((e) => !e.deviated && e.recovery.slaMet), 'the old rule (after + SLA) passed this run');
    assert.equal(journalPassed(j), false);
    const held = { ...j, experiments: j.experiments.map((e) => ({ ...e, hypothesis: { before: true, during: true, after: true } })) };
    assert.equal(journalPassed(held), true);
    const notBefore = { ...j, experiments: held.experiments.map((e, i) => (i === 0 ? { ...e, hypothesis: { ...e.hypothesis, before: false } } : e)) };
    assert.equal(journalPassed(notBefore), false);
  });
});
