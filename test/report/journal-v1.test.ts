import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';

const FIXTURE = fileURLToPath(new URL('../../../test/fixtures/journal-v1.json', import.meta.url));

describe('neurochaos report on a format-1 journal (written before formatVersion existed)', () => {
  it('renders summary.md and report.html with the figures that journal holds', async () => {
    const out = mkdtempSync(join(tmpdir(), 'neurochaos-report-v1-'));
    try {
      const r = await runCli(['report', FIXTURE, '--out', out]);
      assert.equal(r.code, 0, r.stderr);
      const md = readFileSync(join(out, 'summary.md'), 'utf8');
      assert.match(md, /^# Journal v1 fixture$/m);
      assert.match(md, /overall resilience \*\*0\.73\*\*/);
      assert.match(md, /\| spike_storm \| spike-storm \| completed \| fail \| held \/ failed \/ held \| 0 \| met \| 40% \| 70% \| 100% \| 100% \| 0\.78 \|/);
      assert.match(md, /\| dead_neurons \| neuron-fault \| completed \| fail \| held \/ failed \/ held \| 40 \| met \| 0% \| 78% \| 100% \| 100% \| 0\.69 \|/);
      const html = readFileSync(join(out, 'report.html'), 'utf8');
      assert.match(html, /overall resilience <b>0\.73<\/b>/);
      assert.match(html, /<svg/);
      assert.doesNotMatch(html, /NaN|undefined/);
      // Format 1 has no fault end: the window is shaded to the rollback (150 ms + 100 ms observation for the storm).
      assert.match(html, /injected at 150 ms, rolled back at 250 ms, stopped acting at -/);
      const journal = JSON.parse(readFileSync(join(out, 'journal.json'), 'utf8'));
      assert.equal(journal.formatVersion, undefined, 'the journal is written back as it was read');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});
