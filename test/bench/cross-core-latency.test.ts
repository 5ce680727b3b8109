import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { crossCoreRoundTripNs } from '../../bench/cross-core-latency.js';
import { machineInfo } from '../../bench/machine-info.js';

describe('cross-core latency probe', () => {
  it('measures a positive round trip between two worker threads', async () => {
    const ns = await crossCoreRoundTripNs(2000, 1);
    assert.ok(Number.isFinite(ns) && ns > 0, `${ns}`);
  });

  it('rejects rounds or trials that are not integers >= 1, naming them', async () => {
    await assert.rejects(crossCoreRoundTripNs(0, 1), /rounds: must be an integer >= 1/);
    await assert.rejects(crossCoreRoundTripNs(100, 1.5), /trials: must be an integer >= 1/);
  });

  it('from the command line, a bad rounds or trials exits 2 naming it (no silent default); good ones print the ns', () => {
    const probe = fileURLToPath(new URL('../../bench/cross-core-latency.js', import.meta.url));
    for (const [args, field] of [[['0'], 'rounds'], [['abc'], 'rounds'], [['2000', '0'], 'trials'], [['2000', '-1'], 'trials']] as const) {
      const r = spawnSync(process.execPath, [probe, ...args], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^cross-core-latency: ${field}: must be an integer >= 1`));
    }
    const ok = spawnSync(process.execPath, [probe, '2000', '2'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^\d+\n$/);
  });

  it('machineInfo records it once per process: a positive ns, or null when the probe could not run (a loaded machine)', () => {
    const first = machineInfo().crossCoreRoundTripNs;
    assert.ok(first === null || (Number.isInteger(first) && first > 0), String(first));
    assert.equal(machineInfo().crossCoreRoundTripNs, first, 'the second call reuses the first measurement');
  });
});
