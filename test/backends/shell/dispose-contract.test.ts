import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InputError, usedAfterDispose } from '../../../src/util/errors.js';
import { tinyNetwork } from '../../conformance/networks.js';
import { SHELL_BACKENDS } from './shell-backends.js';

const net = tinyNetwork(40);

describe('use after dispose (every backend)', () => {
  const seen = new Map<string, string>();
  for (const entry of SHELL_BACKENDS) {
    it(`${entry.name}: every state-touching call throws the one InputError; dispose twice is fine; what was recorded stays readable`, { skip: entry.skip }, async () => {
      const b = await entry.create(net, { batch: 2 });
      await b.run(20);
      const cp = b.checkpoint();
      const hash = b.recorder.spikeHash();
      await b.dispose();
      await b.dispose();
      const calls: [string, () => unknown][] = [
        ['run', () => b.run(1)],
        ['checkpoint', () => b.checkpoint()],
        ['restore', () => b.restore(cp)],
        ['buffer', () => b.buffer('membraneMv')],
        ['setStepEffects', () => b.setStepEffects({ storms: [], partitions: [] })],
        ['setNoiseStreams', () => b.setNoiseStreams([0, 0])],
      ];
      for (const [what, call] of calls) {
        let error: unknown = null;
        try {
          await call();
        } catch (e) {
          error = e;
        }
        assert.ok(error instanceof InputError, `${what} after dispose threw ${String(error)}`);
        assert.equal(error.field, 'backend');
        assert.equal(error.code, 'used-after-dispose', what);
        assert.equal(error.message, usedAfterDispose(b.name).message, what);
        seen.set(`${entry.name} ${what}`, error.message.replace(b.name, '<backend>'));
      }
      assert.equal(b.recorder.spikeHash(), hash);
      assert.equal(b.metrics().steps, 20);
      assert.equal(new Set(seen.values()).size, 1, 'one message on every backend (its name aside)');
    });
  }
});

describe('dispose during a run (every backend)', () => {
  for (const entry of SHELL_BACKENDS) {
    it(`${entry.name}: the run stops at the next chunk boundary, interrupted, before anything is freed; what ran stays recorded`, { skip: entry.skip }, async () => {
      const b = await entry.create(net, { batch: 2 });
      let disposing: Promise<void> | null = null;
      const out = await b.run(5000, {
        chunkSteps: 10,
        onProgress: (done) => {
          // From inside the run, as a signal handler or a UI would: dispose() must not free the state under the chunk loop.
          if (done >= 30 && !disposing) disposing = b.dispose();
        },
      });
      assert.ok(disposing, 'dispose was called during the run');
      await disposing;
      assert.equal(out.interrupted, true);
      assert.ok(out.stepsRun >= 30 && out.stepsRun <= 40, `stopped at ${out.stepsRun}`);
      assert.equal(b.metrics().steps, out.stepsRun);
      assert.ok(b.recorder.totalSpikes >= 0 && b.recorder.spikeHash().length > 0);
      await assert.rejects(b.run(1), (e: unknown) => e instanceof InputError && e.code === 'used-after-dispose');
    });

    it(`${entry.name}: a second dispose() during the first resolves only once everything is released`, { skip: entry.skip }, async () => {
      const b = await entry.create(net, { batch: 2 });
      let firstDone = false;
      let second: Promise<void> | null = null;
      const run = b.run(5000, {
        chunkSteps: 10,
        onProgress: (done) => {
          if (done >= 20 && !second) {
            void b.dispose().then(() => (firstDone = true));
            second = b.dispose();
          }
        },
      });
      assert.equal((await run).interrupted, true);
      await second;
      // The first call's continuation runs first if both wait for one release.
      await Promise.resolve();
      assert.ok(firstDone, 'the second dispose() resolved before the first had released');
    });
  }
});

describe('overlapping runs (every backend)', () => {
  for (const entry of SHELL_BACKENDS) {
    it(`${entry.name}: run() while a run is in flight is refused naming run, and a refused or invalid call leaves the running one alone`, { skip: entry.skip }, async () => {
      const b = await entry.create(net, { batch: 2 });
      const control = await entry.create(net, { batch: 2 });
      await control.run(400);
      const first = b.run(400, { chunkSteps: 10 });
      await assert.rejects(b.run(10), (e: unknown) => e instanceof InputError && e.field === 'run' && /in progress/.test(e.message));
      await assert.rejects(b.run(-1), (e: unknown) => e instanceof InputError);
      const out = await first;
      assert.deepEqual(out, { stepsRun: 400, interrupted: false });
      assert.equal(b.recorder.spikeHash(), control.recorder.spikeHash(), 'the refused calls changed nothing');
      // Once it is over, the next run goes.
      assert.deepEqual(await b.run(10), { stepsRun: 10, interrupted: false });
      await Promise.all([b.dispose(), control.dispose()]);
    });
  }
});
