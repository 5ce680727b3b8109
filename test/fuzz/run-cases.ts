import assert from 'node:assert/strict';
import { it } from 'node:test';
import { CI_SEED, replayLine, type FuzzCase } from '../../fuzz/fuzz-case.js';

/** One test per property: a bounded number of runs with the pinned seed, printed; a failure carries the replay line and shrunk counterexample. */
export function itChecks(cases: FuzzCase[]): void {
  for (const c of cases) {
    it(`${c.name} (${c.ciRuns} runs, seed ${CI_SEED})`, async (t) => {
      const out = await c.check({ numRuns: c.ciRuns, seed: CI_SEED, replayCommand: replayLine(c.name) });
      t.diagnostic(out.report.split('\n')[0]);
      assert.ok(!out.failed, out.report);
    });
  }
}
