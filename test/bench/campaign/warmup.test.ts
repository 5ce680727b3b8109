import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { warmupFor, WARMUP_JOBS_PER_PROCESS } from '../../../bench/campaign/campaign-bench.js';
import { loadCampaign } from '../../../src/campaign/load-campaign.js';
import { referenceGroup } from '../../../src/campaign/run-tally.js';

const WARMUP = fileURLToPath(new URL('../../../../bench/campaign/warmup.campaign.yaml', import.meta.url));

test('campaign suite warm-up: every process of a setup warms up on as many jobs, in whole reference groups', () => {
  const w = loadCampaign(WARMUP);
  const groupSizes = new Map<string, number>();
  for (const j of w.jobs) groupSizes.set(referenceGroup(j), (groupSizes.get(referenceGroup(j)) ?? 0) + 1);
  for (const processes of [1, 2]) {
    const cut = warmupFor(w, processes);
    assert.equal(cut.jobs.length, processes * WARMUP_JOBS_PER_PROCESS);
    // Whole groups only: the pool hands a process a group at a time, so a cut group would leave one process short.
    const kept = new Map<string, number>();
    for (const j of cut.jobs) kept.set(referenceGroup(j), (kept.get(referenceGroup(j)) ?? 0) + 1);
    for (const [g, n] of kept) assert.equal(n, groupSizes.get(g), `group ${g} is whole`);
    assert.equal(kept.size % processes, 0, 'as many groups per process');
  }
  assert.throws(() => warmupFor(w, 3), /holds 32 jobs; the campaign suite warms 3 process\(es\) on 48/);
});
