import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { runMain } from './in-process.js';
import { writeTinyScenario } from './scenario-fixtures.js';

describe('--time-scale', () => {
  it('scales the SLA with the recovery timeout, observation and fault durations', async () => {
    const dir = tempDir();
    const file = writeTinyScenario(dir, 'scaled', [{ id: 'default_sla', observationMs: 400, recoveryTimeoutMs: 1000 }, { id: 'own_sla', observationMs: 400, recoveryTimeoutMs: 1000, slaMs: 2000 }]);
    // The fixture's defaults leave slaMs at the schema default (30,000 ms).
    const r = await runMain(['run', file, '--time-scale', '0.1', '--out', join(dir, 'out'), '--json']);
    assert.ok(r.code === 0 || r.code === 1, r.stderr);
    const journal = JSON.parse(readFileSync(join(dir, 'out', 'journal.json'), 'utf8'));
    const [a, b] = journal.experiments.map((e: { durations: Record<string, number> }) => e.durations);
    assert.equal(a.recoveryTimeoutMs, 100);
    assert.equal(a.observationMs, 40);
    assert.equal(a.slaMs, 3000);
    assert.equal(b.slaMs, 200);
  });
});
