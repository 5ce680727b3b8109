import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ReferenceBackend } from '../../src/backends/reference-backend.js';
import type { SimulationCheckpoint } from '../../src/backends/checkpoint.js';
import { chaosModelProperty } from '../../src/fuzz/chaos-model.js';
import type { FuzzBackendEntry } from '../../src/fuzz/chaos-rig.js';
import { checkProperty } from '../../src/fuzz/check-property.js';
import { parseCampaignArgs, runCampaign, type CampaignArgs } from '../../fuzz/campaign.js';
import type { FuzzCase } from '../../fuzz/fuzz-case.js';
import { fuzzNetwork } from '../../fuzz/networks.js';

/** Test-only: a reference backend whose restore is off by a hair once the simulation has run (checkpoint then restore is no longer the identity). */
class BrokenRestoreBackend extends ReferenceBackend {
  override restore(cp: SimulationCheckpoint): void {
    super.restore(cp);
    if (this.currentStep >= 5) this.buffer('membraneMv')[0] += 1e-3;
  }
}

const broken: FuzzBackendEntry = { name: 'broken-restore', workers: 0, create: (network, options) => new BrokenRestoreBackend(network, options) };
const NAME = 'chaos-model-broken-restore';
const brokenCase: FuzzCase = {
  name: NAME,
  ciRuns: 40,
  check: (o) => checkProperty(chaosModelProperty(broken, fuzzNetwork(), { maxCommands: 10, replayPath: o.replayPath }), { ...o, name: NAME }),
};

/** Runs the campaign (what `npm run fuzz` runs) and returns its exit code and output. */
async function campaign(args: CampaignArgs): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCampaign([brokenCase], args, (t) => (out += t));
  return { code, out };
}

const counterexampleOf = (out: string) => /Counterexample: (.*)/.exec(out)?.[1];

describe('a fuzz failure replays from its printed line', () => {
  it('a deliberately broken backend fails, and the printed replay line reproduces the same counterexample', async () => {
    const first = await campaign({ runs: 40, seed: 20260611 });
    assert.equal(first.code, 1, first.out);
    const counterexample = counterexampleOf(first.out);
    assert.ok(counterexample, first.out);
    assert.match(counterexample, /checkpointRestore/, 'the shrunk case is the broken operation');
    const line = /replay: npm run fuzz -- (.*)/.exec(first.out)?.[1];
    assert.ok(line, first.out);
    assert.match(line, new RegExp(`^--property ${NAME} --seed 20260611 --path \\S+ --replay-path \\S+ --runs 1$`));
    const args = parseCampaignArgs(line.split(' '), [brokenCase]);
    assert.ok(!('error' in args) && !('help' in args), JSON.stringify(args));
    const again = await campaign(args as CampaignArgs);
    assert.equal(again.code, 1, again.out);
    assert.equal(counterexampleOf(again.out), counterexample, again.out);
    assert.match(again.out, /Shrunk 0 time\(s\)/, 'replayed straight to the shrunk case');
  });

  it('a replay that cannot walk its path, or that runs no case, fails rather than passing', async () => {
    const first = await campaign({ runs: 40, seed: 20260611 });
    const line = /replay: npm run fuzz -- (.*)/.exec(first.out)?.[1] ?? '';
    const args = parseCampaignArgs(line.split(' '), [brokenCase]) as CampaignArgs;
    // Without the commands' replay path (what the old replay line printed) the path leads nowhere: a failure, said so.
    const withoutReplayPath = await campaign({ ...args, replayPath: undefined });
    assert.equal(withoutReplayPath.code, 1, withoutReplayPath.out);
    assert.match(withoutReplayPath.out, /could not replay|ran 0 cases|failed/);
    // A toy property: a path whose shrink walk yields no value replays 0 cases, which is a failure.
    const toy = await checkProperty(fc.property(fc.constant(0), () => true), { seed: 1, path: '0:0', numRuns: 1, name: 'toy' });
    assert.equal(toy.failed, true, toy.report);
    assert.match(toy.report, /could not replay|ran 0 cases/);
  });

  it('--replay-path needs --path', () => {
    assert.deepEqual(parseCampaignArgs(['--replay-path', 'AB:C'], [brokenCase]), { error: "--replay-path goes with --path (both come from a failure's replay line)" });
  });
});
