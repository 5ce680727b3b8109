import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GpujsBackend } from '../../../src/backends/gpujs/gpujs-backend.js';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { cubaSpec } from '../../../src/model/cuba.js';

const net = buildNetwork(cubaSpec(), { seed: 1 });

describe('abort (the shell run loop)', () => {
  it('gpujs in cpu mode: a timer gets its turn during a long run, and its abort stops the run promptly at a consistent step', async () => {
    const b = new GpujsBackend(net, { mode: 'cpu' });
    try {
      await b.ready();
      const controller = new AbortController();
      let abortedAt = 0;
      // The timer can fire only if run() lets the event loop turn between chunks.
      const timer = setTimeout(() => {
        abortedAt = performance.now();
        controller.abort();
      }, 300);
      // About 20 s of work in one call (cuba on gpu.js cpu mode: a few ms a step).
      const outcome = await b.run(5000, { signal: controller.signal });
      clearTimeout(timer);
      const lagMs = performance.now() - abortedAt;
      assert.equal(outcome.interrupted, true);
      assert.ok(abortedAt > 0, 'the abort timer fired during the run');
      assert.ok(lagMs < 1500, `stopped ${lagMs.toFixed(0)} ms after the abort`);
      assert.ok(outcome.stepsRun > 0 && outcome.stepsRun < 5000 && outcome.stepsRun === b.currentStep);
      // The state is consistent: going on gives what a straight run gives.
      await b.run(20);
      const ref = new ReferenceBackend(net);
      await ref.run(b.currentStep);
      assert.equal(b.recorder.spikeHash(), ref.recorder.spikeHash());
    } finally {
      await b.dispose();
    }
  });

  it('an already aborted signal runs nothing; chunkSteps sets where progress is reported', async () => {
    const b = new ReferenceBackend(net);
    const controller = new AbortController();
    controller.abort();
    assert.deepEqual(await b.run(100, { signal: controller.signal }), { stepsRun: 0, interrupted: true });
    const reported: number[] = [];
    await b.run(95, { chunkSteps: 30, onProgress: (done) => reported.push(done) });
    assert.deepEqual(reported, [30, 60, 90, 95]);
    await b.dispose();
  });
});
