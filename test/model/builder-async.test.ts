import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { buildNetwork, buildNetworkAsync } from '../../src/model/builder.js';
import { cubaSpec } from '../../src/model/cuba.js';
import { microcircuitSpec } from '../../src/model/microcircuit.js';
import type { Network } from '../../src/model/network.js';
import type { NetworkSpec } from '../../src/model/spec.js';
import { InputError, InterruptedError } from '../../src/util/errors.js';

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function assertSameNetwork(a: Network, b: Network): void {
  for (const key of ['rowPtr', 'targets', 'weightsPa', 'delaySteps'] as const) assert.ok(bytes(a.synapses[key]).equals(bytes(b.synapses[key])), `synapses.${key} differ`);
  assert.deepEqual({ ...a, synapses: null, spec: null }, { ...b, synapses: null, spec: null });
}

const neuron = { capacitancePf: 250, tauMembraneMs: 10, tauSynExcMs: 0.5, tauSynInhMs: 0.5, restingMv: -65, thresholdMv: -50, resetMv: -65, refractoryMs: 2, dcPa: 0 };
const pop = (name: string, size: number) => ({ name, size, neuron, initialPotential: { kind: 'constant', valueMv: -65 } as const, drives: [] });
const w = { kind: 'normal', mean: 80, sd: 8 } as const;
const d = { kind: 'normal', mean: 1.5, sd: 0.75 } as const;
/**
 * Every rule, two projections between one pair (their runs merged), and a
 * fixed total number above the 2^20 source draws the build makes between
 * two turns of the event loop.
 */
const mergedSpec: NetworkSpec = {
  name: 'merged',
  populations: [pop('A', 3000), pop('B', 2000)],
  projections: [
    { source: 'A', target: 'B', rule: { kind: 'fixed-total-number', count: 1_500_000 }, weightPa: w, delayMs: d },
    { source: 'A', target: 'B', rule: { kind: 'pairwise-probability', probability: 0.05, allowAutapses: true }, weightPa: { kind: 'constant', value: 1 }, delayMs: { kind: 'constant', value: 3 } },
    { source: 'B', target: 'A', rule: { kind: 'fixed-indegree', indegree: 20, allowAutapses: true }, weightPa: w, delayMs: d },
    { source: 'A', target: 'A', rule: { kind: 'pairwise-probability', probability: 0.01, allowAutapses: false }, weightPa: w, delayMs: d },
  ],
};

/** SHA-256 of rowPtr, targets, weightsPa and delaySteps, in that order. */
function connectivityHash(n: Network): string {
  const h = createHash('sha256');
  for (const key of ['rowPtr', 'targets', 'weightsPa', 'delaySteps'] as const) h.update(bytes(n.synapses[key]));
  return h.digest('hex');
}

describe('buildNetworkAsync', () => {
  it('builds the network buildNetwork builds, bit for bit (source-major and target-major projections, merged runs)', async () => {
    for (const spec of [cubaSpec({ scale: 0.5 }), microcircuitSpec({ scale: 0.05 }), mergedSpec]) {
      assertSameNetwork(await buildNetworkAsync(spec, { seed: 9, dtMs: 0.1 }), buildNetwork(spec, { seed: 9, dtMs: 0.1 }));
    }
  });

  it('both builds give the connectivity of the builder before it gave the event loop turns (pinned: commit f2fddb9)', async () => {
    // Split draws of one stream must be the one draw: the fixed total numbers are now drawn in pieces.
    const pinned: [NetworkSpec, number, string][] = [
      [mergedSpec, 1_950_741, '2ecfc96b87b0f19b11aa7b39d9854a2ccbe15384dcbcdf932811c9a9387ed9dd'],
      [microcircuitSpec({ scale: 0.1 }), 29_888_097, '558e366b13b52a0403e1cd948c34a22ce3208d9b75f9cc6f18bbb8bad7e641e8'],
    ];
    for (const [spec, synapses, hash] of pinned) {
      const sync = buildNetwork(spec, { seed: 3 });
      assert.deepEqual([sync.synapseCount, connectivityHash(sync)], [synapses, hash], spec.name);
      const async_ = await buildNetworkAsync(spec, { seed: 3 });
      assert.deepEqual([async_.synapseCount, connectivityHash(async_)], [synapses, hash], spec.name);
    }
  });

  it('gives the event loop turns during a long build (timers run: a signal handler would)', async () => {
    let turns = 0;
    const tick = setInterval(() => turns++, 1);
    const t0 = performance.now();
    await buildNetworkAsync(microcircuitSpec({ scale: 0.1 }), { seed: 1 });
    const ms = performance.now() - t0;
    clearInterval(tick);
    // A sync build (about 1 s here) would give none at all.
    assert.ok(turns >= 3, `${turns} timer turns in a ${ms.toFixed(0)} ms build`);
  });

  it('stops at the next turn once its signal is aborted: InterruptedError, phase build', async () => {
    const controller = new AbortController();
    // Fires at the build's first turn of the event loop, after about 20 ms of its work (the whole build takes about 1 s).
    setTimeout(() => controller.abort(), 0);
    await assert.rejects(buildNetworkAsync(microcircuitSpec({ scale: 0.1 }), { seed: 1, signal: controller.signal }), (e: unknown) => e instanceof InterruptedError && e.phase === 'build' && /interrupted while building the network/.test(e.message));
    const aborted = AbortSignal.abort();
    await assert.rejects(buildNetworkAsync(cubaSpec(), { signal: aborted }), InterruptedError);
  });

  it("carries the signal's reason as its cause (a timeout told from a cancel); bad input is reported as such even when aborted", async () => {
    const reason = new RangeError('my reason');
    await assert.rejects(buildNetworkAsync(cubaSpec(), { signal: AbortSignal.abort(reason) }), (e: unknown) => e instanceof InterruptedError && e.cause === reason);
    await assert.rejects(buildNetworkAsync(cubaSpec(), { signal: AbortSignal.abort('a string') }), (e: unknown) => e instanceof InterruptedError && e.cause === 'a string');
    await assert.rejects(buildNetworkAsync(cubaSpec(), { seed: -1, signal: AbortSignal.abort() }), (e: unknown) => e instanceof InputError && e.field === 'seed');
  });

  it('refuses bad input as buildNetwork does', async () => {
    await assert.rejects(buildNetworkAsync(cubaSpec(), { seed: -1 }), (e: unknown) => e instanceof InputError && e.field === 'seed');
    await assert.rejects(buildNetworkAsync(cubaSpec(), { dtMs: 0 }), (e: unknown) => e instanceof InputError && e.field === 'dtMs');
  });
});
