import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildNetwork, buildNetworkAsync } from '../../src/model/builder.js';
import { cubaSpec } from '../../src/model/cuba.js';
import { microcircuitSpec } from '../../src/model/microcircuit.js';
import type { Network } from '../../src/model/network.js';
import { InputError, InterruptedError } from '../../src/util/errors.js';

const bytes = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
function assertSameNetwork(a: Network, b: Network): void {
  for (const key of ['rowPtr', 'targets', 'weightsPa', 'delaySteps'] as const) assert.ok(bytes(a.synapses[key]).equals(bytes(b.synapses[key])), `synapses.${key} differ`);
  assert.deepEqual({ ...a, synapses: null, spec: null }, { ...b, synapses: null, spec: null });
}

describe('buildNetworkAsync', () => {
  it('builds the network buildNetwork builds, bit for bit (source-major and target-major projections, merged runs)', async () => {
    for (const spec of [cubaSpec({ scale: 0.5 }), microcircuitSpec({ scale: 0.05 })]) {
      assertSameNetwork(await buildNetworkAsync(spec, { seed: 9, dtMs: 0.1 }), buildNetwork(spec, { seed: 9, dtMs: 0.1 }));
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

  it('refuses bad input as buildNetwork does', async () => {
    await assert.rejects(buildNetworkAsync(cubaSpec(), { seed: -1 }), (e: unknown) => e instanceof InputError && e.field === 'seed');
    await assert.rejects(buildNetworkAsync(cubaSpec(), { dtMs: 0 }), (e: unknown) => e instanceof InputError && e.field === 'dtMs');
  });
});
