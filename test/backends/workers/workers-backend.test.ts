import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { WorkersBackend } from '../../../src/backends/workers/workers-backend.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { cubaSpec } from '../../../src/model/cuba.js';
import { microcircuitSpec } from '../../../src/model/microcircuit.js';
import type { Network } from '../../../src/model/network.js';
import { InputError } from '../../../src/util/errors.js';
import { smallNetworkSpec } from '../../helpers/networks.js';
import { supervision } from '../../helpers/shard-supervision.js';

const open: WorkersBackend[] = [];
function workers(net: Network, opts: ConstructorParameters<typeof WorkersBackend>[1]) {
  const w = new WorkersBackend(net, opts);
  open.push(w);
  return w;
}
after(async () => {
  await Promise.all(open.map((w) => w.dispose()));
});

async function referenceHash(net: Network, steps: number, batch = 1) {
  const ref = new ReferenceBackend(net, { batch });
  await ref.run(steps);
  return { hash: ref.recorder.spikeHash(), spikes: ref.recorder.totalSpikes, events: ref.metrics().synapticEvents, v: ref.buffer('membraneMv') };
}

/** Every replica's record is strictly increasing in (step, neuron): nothing duplicated or out of order. */
function assertRecordClean(backend: WorkersBackend) {
  for (const store of backend.recorder.stores) {
    const p = store.toPairs();
    for (let k = 2; k < p.length; k += 2) assert.ok(p[k] > p[k - 2] || (p[k] === p[k - 2] && p[k + 1] > p[k - 1]), `record out of order at pair ${k / 2}`);
  }
}

describe('WorkersBackend determinism', () => {
  for (const [name, spec, steps] of [
    ['cuba', cubaSpec(), 2000],
    ['microcircuit scale 0.1', microcircuitSpec({ scale: 0.1 }), 1000],
  ] as const) {
    it(`${name}: spikeHash identical for 1, 2 and 3 workers and equal to the reference`, async () => {
      const net = buildNetwork(spec, { seed: 3 });
      const ref = await referenceHash(net, steps);
      assert.ok(ref.spikes > 100);
      for (const w of [1, 2, 3]) {
        const b = workers(net, { workers: w });
        await b.run(steps);
        assert.equal(b.recorder.spikeHash(), ref.hash, `${w} workers`);
        assert.equal(b.metrics().synapticEvents, ref.events, `${w} workers: events`);
        assert.deepEqual(b.buffer('membraneMv'), ref.v, `${w} workers: membranes`);
        await b.dispose();
      }
    });
  }

  it('runs batches: replicas equal the reference batch, chunking does not matter', async () => {
    const net = buildNetwork(smallNetworkSpec(), { seed: 4 });
    const ref = await referenceHash(net, 1500, 3);
    const b = workers(net, { workers: 2, batch: 3 });
    for (const n of [1, 499, 1000]) await b.run(n);
    assert.equal(b.recorder.spikeHash(), ref.hash);
    assertRecordClean(b);
  });
});

describe('WorkersBackend supervision', () => {
  const net = buildNetwork(smallNetworkSpec(), { seed: 5 });
  const steps = 3000;

  for (const mode of ['throw', 'exit'] as const) {
    it(`recovers when a worker ${mode === 'throw' ? 'throws' : 'exits'}: same spikes as an undisturbed run, events told`, async () => {
      const ref = await referenceHash(net, steps);
      const b = workers(net, { workers: 2, checkpointEverySteps: 700 });
      const events: string[] = [];
      b.on('worker-lost', (e) => events.push(`lost ${e.shard}@${e.step}`));
      b.on('restored', (e) => events.push(`restored ${e.toStep}`));
      b.on('replayed', (e) => events.push(`replayed ${e.steps}`));
      supervision(b).injectFailure(1, 1234, mode);
      await b.run(steps);
      assert.equal(b.recorder.spikeHash(), ref.hash);
      assert.equal(b.recorder.totalSpikes, ref.spikes);
      assert.equal(b.metrics().synapticEvents, ref.events);
      assert.equal(b.restartCount, 1);
      // Failures surface at chunk starts; the state goes back to the last in-memory checkpoint.
      const [lost, restored, replayed] = events;
      const lostAt = Number(/@(\d+)/.exec(lost)![1]);
      const back = Number(/restored (\d+)/.exec(restored)![1]);
      assert.ok(lost.startsWith('lost 1@') && lostAt <= 1234 && lostAt > 1234 - 200, lost);
      assert.ok(back <= lostAt && lostAt - back <= 700 + 200, restored);
      assert.equal(replayed, `replayed ${lostAt - back}`);
      assertRecordClean(b);
    });
  }

  it('recovers when a worker thread is terminated from outside', async () => {
    const ref = await referenceHash(net, steps);
    const b = workers(net, { workers: 2, checkpointEverySteps: 500 });
    let lost = '';
    b.on('worker-lost', (e) => (lost = e.error));
    // Shard 0's thread blocks at step 1500 (for up to 30 s); we terminate it while it is in flight.
    supervision(b).injectFailure(0, 1500, 'stall', 30_000);
    const killer = setInterval(() => {
      if (supervision(b).isStalled(0)) {
        clearInterval(killer);
        void supervision(b).terminateShardThread(0);
      }
    }, 5);
    const t0 = Date.now();
    await b.run(steps);
    clearInterval(killer);
    assert.ok(Date.now() - t0 < 20_000, 'did not wait for the stall to end');
    assert.match(lost, /terminated|exit/i);
    assert.equal(b.restartCount, 1);
    assert.equal(b.recorder.spikeHash(), ref.hash);
    assert.equal(b.recorder.totalSpikes, ref.spikes);
    assertRecordClean(b);
  });

  it('survives repeated failures and gives up with a clear error when a chunk keeps failing', async () => {
    const ref = await referenceHash(net, 1000);
    const b = workers(net, { workers: 2, checkpointEverySteps: 100 });
    supervision(b).injectFailure(0, 150, 'throw');
    supervision(b).injectFailure(1, 420, 'exit');
    supervision(b).injectFailure(0, 777, 'throw');
    await b.run(1000);
    assert.equal(b.recorder.spikeHash(), ref.hash);
    assert.equal(b.restartCount, 3);
    const doomed = workers(net, { workers: 2, maxRetries: 2 });
    for (let i = 0; i < 3; i++) supervision(doomed).injectFailure(0, 10, 'throw');
    await assert.rejects(doomed.run(100), /failed 3 times in a row; last error: injected failure of shard 0 at step 10/);
  });

  it('Ctrl-C during an injected stall of a minute: the run stops within seconds, interrupted, and the next run neither stalls nor changes a spike', async () => {
    const net = buildNetwork(smallNetworkSpec(), { seed: 21 });
    const b = workers(net, { workers: 2 });
    const sup = supervision(b);
    sup.injectFailure(1, 60, 'stall', 60_000);
    const ac = new AbortController();
    const t0 = Date.now();
    const running = b.run(400, { signal: ac.signal });
    while (!sup.isStalled(1) && Date.now() - t0 < 20_000) await new Promise((r) => setTimeout(r, 5));
    assert.ok(sup.isStalled(1), 'shard 1 stalls at step 60');
    ac.abort();
    const out = await running;
    const stopMs = Date.now() - t0;
    assert.ok(out.interrupted);
    // Before, the stop waited for the stall to run out: 60 s.
    assert.ok(stopMs < 30_000, `stopped after ${stopMs} ms`);
    assert.ok(!sup.isStalled(1));
    assert.equal(sup.stallsServed(1), 1);
    const t1 = Date.now();
    await b.run(400 - out.stepsRun);
    assert.ok(Date.now() - t1 < 30_000, 'the next run does not stall');
    assert.equal(b.recorder.spikeHash(), (await referenceHash(net, 400)).hash);
  });

  it('threadsReady resolves once every thread has started; threadTimes splits each thread\'s loop into integrate, deliver and wait, growing run by run', async () => {
    const net = buildNetwork(microcircuitSpec({ scale: 0.02, kScale: 0.2 }), { seed: 5 });
    const b = workers(net, { workers: 2 });
    assert.equal(await b.threadsReady(), true);
    const zero = b.threadTimes();
    assert.equal(zero.length, 2);
    for (const t of zero) assert.deepEqual([t.integrateMs, t.deliverMs], [0, 0]);
    const t0 = performance.now();
    await b.run(1000);
    const wallMs = performance.now() - t0;
    const first = b.threadTimes();
    const sum = (ts: typeof first, key: 'integrateMs' | 'deliverMs') => ts.reduce((acc, t) => acc + t[key], 0);
    // Summed over threads: tasks are claimed, not assigned, so in a short run
    // one thread may get no integrate or no deliver task; the two together
    // always do.
    assert.ok(sum(first, 'integrateMs') > 0 && sum(first, 'deliverMs') > 0, JSON.stringify(first));
    for (const t of first) {
      // Each thread's parts happen within the run (the threads were ready before it began).
      assert.ok(t.integrateMs + t.deliverMs + t.waitMs <= wallMs + 5, `${JSON.stringify(t)} within ${wallMs} ms`);
    }
    await b.run(500);
    const second = b.threadTimes();
    assert.ok(sum(second, 'integrateMs') > sum(first, 'integrateMs') && sum(second, 'deliverMs') > sum(first, 'deliverMs'), JSON.stringify([first, second]));
    second.forEach((t, k) => assert.ok(t.integrateMs >= first[k].integrateMs && t.deliverMs >= first[k].deliverMs && t.waitMs >= first[k].waitMs));
  });

  it('threadsReady: a timeout that is not a finite number >= 0 is an InputError naming timeoutMs; dispose ends a pending wait', async () => {
    const net = buildNetwork(smallNetworkSpec(), { seed: 3 });
    const b = workers(net, { workers: 2 });
    for (const bad of [Number.NaN, -1, Number.POSITIVE_INFINITY]) {
      await assert.rejects(b.threadsReady(bad), (e: unknown) => e instanceof InputError && e.field === 'timeoutMs' && /finite/.test(e.message));
    }
    const pending = b.threadsReady(60_000);
    const t0 = performance.now();
    await b.dispose();
    // Either the threads had started before dispose (true) or dispose ends the wait (false): never the whole minute.
    assert.equal(typeof (await pending), 'boolean');
    assert.ok(performance.now() - t0 < 30_000);
    const t1 = performance.now();
    assert.equal(await b.threadsReady(60_000), false, 'a disposed backend has no threads to wait for');
    assert.ok(performance.now() - t1 < 1_000);
  });

  it('threadsReady with a zero timeout settles at once, true or false; with the default it is true', async () => {
    const net = buildNetwork(smallNetworkSpec(), { seed: 4 });
    const b = workers(net, { workers: 2 });
    const t0 = performance.now();
    assert.equal(typeof (await b.threadsReady(0)), 'boolean');
    assert.ok(performance.now() - t0 < 1_000);
    assert.equal(await b.threadsReady(), true);
  });

  it('threadsReady settles on its own in a process with nothing else pending, and takes timeouts beyond setTimeout\'s 2^31-1 ms without a warning', () => {
    // A backend whose ready count can never be reached (a third thread that
    // does not exist), in a process of its own: Atomics.waitAsync alone does
    // not keep Node alive, so without the backend's own timer the process
    // would exit (code 13) before the promise settles.
    const script = (timeoutMs: number, disposeAfterMs: number | null) => `
      import { WorkersBackend } from ${JSON.stringify(new URL('../../../src/backends/workers/workers-backend.js', import.meta.url).href)};
      import { buildNetwork } from ${JSON.stringify(new URL('../../../src/model/builder.js', import.meta.url).href)};
      import { smallNetworkSpec } from ${JSON.stringify(new URL('../../helpers/networks.js', import.meta.url).href)};
      const b = new WorkersBackend(buildNetwork(smallNetworkSpec(), { seed: 3 }), { workers: 2 });
      Reflect.set(b, 'workers', 3);
      ${disposeAfterMs === null ? '' : `setTimeout(() => { Reflect.set(b, 'workers', 2); void b.dispose(); }, ${disposeAfterMs});`}
      const ready = await b.threadsReady(${timeoutMs});
      process.stdout.write(String(ready));
      Reflect.set(b, 'workers', 2);
      await b.dispose();`;
    const run = (code: string) => spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 60_000 });
    const timedOut = run(script(1500, null));
    assert.deepEqual([timedOut.status, timedOut.stdout], [0, 'false'], timedOut.stderr);
    const huge = run(script(2 ** 31 + 5, 800));
    assert.deepEqual([huge.status, huge.stdout], [0, 'false'], huge.stderr);
    assert.doesNotMatch(huge.stderr, /TimeoutOverflowWarning/);
  });

  it('dispose from a timer during a run: the run resolves interrupted within a chunk and dispose resolves (it used to block the main thread for good)', async () => {
    const b = workers(buildNetwork(smallNetworkSpec(), { seed: 7 }), { workers: 2 });
    const running = b.run(50_000);
    await new Promise((r) => setTimeout(r, 50));
    const t0 = performance.now();
    let ticks = 0;
    const tick = setInterval(() => ticks++, 5);
    await b.dispose();
    const out = await running;
    clearInterval(tick);
    assert.equal(out.interrupted, true);
    assert.ok(out.stepsRun > 0 && out.stepsRun < 50_000, `${out.stepsRun}`);
    assert.ok(performance.now() - t0 < 10_000);
    assert.ok(ticks > 0 || performance.now() - t0 < 20, 'the event loop kept turning while dispose waited');
  });
});
