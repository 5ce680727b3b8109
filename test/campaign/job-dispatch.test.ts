import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JobDispatch } from '../../src/campaign/job-dispatch.js';
import { dispatchOrder, referenceGroup } from '../../src/campaign/run-tally.js';
import { loadCampaign, type JobEntry } from '../../src/campaign/load-campaign.js';
import { TINY_CAMPAIGN } from './helpers.js';

const entry = (hash: string) => ({ hash }) as JobEntry;

test('jobs are grouped by reference run: a seed, backend and defence setting, whatever the fault', () => {
  const c = loadCampaign(TINY_CAMPAIGN);
  // 2 modes x 3 fractions x 2 defence settings x 2 seeds: 4 groups (defences x seeds) of 6 points each.
  const order = dispatchOrder(c.jobs);
  assert.equal(order.length, 24);
  const groups = [...new Set(order.map((d) => d.group))];
  assert.equal(groups.length, 4);
  for (const g of groups) {
    const members = order.filter((d) => d.group === g).map((d) => d.entry.labels);
    assert.equal(members.length, 6);
    assert.equal(new Set(members.map((l) => `${l.seed} ${l.defences}`)).size, 1, 'one seed and defence setting per group');
  }
  // Grouped, contiguous, each group's jobs in the campaign's order.
  assert.deepEqual(order.map((d) => d.group), groups.flatMap((g) => Array(6).fill(g)));
  assert.equal(referenceGroup(c.jobs[0]), order[0].group);
});

test('each lane keeps to its group, opens a free one next, and helps another lane from the back only when none is left; every job once', () => {
  const order = ['a', 'b', 'c'].flatMap((g) => [1, 2, 3, 4].map((i) => ({ entry: entry(`${g}${i}`), group: g })));
  const d = new JobDispatch(order, 2);
  const ran: string[][] = [[], []];
  // Lane 0 runs two jobs for each of lane 1's.
  const seq = [0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 1, 0, 1];
  for (const lane of seq) {
    const e = d.next(lane);
    if (e) ran[lane].push(e.hash);
  }
  assert.deepEqual(ran[0], ['a1', 'a2', 'a3', 'a4', 'c1', 'c2', 'c3', 'c4']);
  assert.deepEqual(ran[1], ['b1', 'b2', 'b3', 'b4']);
  assert.equal(d.next(0), null);
  assert.equal(d.next(1), null);
  // Three groups over two lanes that finish together: the last group is shared, the helper from its back.
  const e = new JobDispatch(order, 2);
  const got: string[][] = [[], []];
  for (let k = 0; k < 6; k++) for (const lane of [0, 1]) got[lane].push(e.next(lane)!.hash);
  assert.deepEqual(got, [['a1', 'a2', 'a3', 'a4', 'c1', 'c2'], ['b1', 'b2', 'b3', 'b4', 'c4', 'c3']]);
  assert.equal(e.next(0), null);
});
