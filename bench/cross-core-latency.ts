import { Worker } from 'node:worker_threads';

/**
 * The round trip of one cache line between two worker threads (ns): thread
 * A stores a sequence number, thread B waits for it and stores it back in
 * another line, `rounds` times; the median of `trials` timings. What it
 * tells: the cost of one hand-off between the cores the two threads run on,
 * which bounds the workers backend's per-step synchronisation (a model with a
 * one-step minimum delay exchanges spikes at every step). On this project's
 * 2-core VM it has read from about 150 ns to about 1,060 ns on different
 * days (docs/performance.md, "Cross-core latency"), so benches record it.
 *
 *   node dist/bench/cross-core-latency.js [rounds] [trials]   (prints the ns)
 */
export async function crossCoreRoundTripNs(rounds = 50_000, trials = 3): Promise<number> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds: must be an integer >= 1; got ${rounds}`);
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials: must be an integer >= 1; got ${trials}`);
  // Word 32 (a third line) is a start handshake: each thread counts itself
  // in and spins until both have, so the timing starts with both threads
  // running and a thread's start-up (hundreds of microseconds) is not timed.
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    const a = new Int32Array(workerData.buffer);
    const { me, rounds } = workerData;
    Atomics.add(a, 32, 1);
    while (Atomics.load(a, 32) !== 2) {}
    const t0 = performance.now();
    for (let i = 1; i <= rounds; i++) {
      if (me === 0) { Atomics.store(a, 0, i); while (Atomics.load(a, 16) !== i) {} }
      else { while (Atomics.load(a, 0) !== i) {} Atomics.store(a, 16, i); }
    }
    if (me === 0) parentPort.postMessage((performance.now() - t0) * 1e6 / rounds);`;
  const times: number[] = [];
  for (let t = 0; t < trials; t++) {
    // Words 0, 16 and 32: three 64-byte lines, so the two threads' stores never share one.
    const buffer = new SharedArrayBuffer(192);
    const threads = [0, 1].map((me) => new Worker(code, { eval: true, workerData: { buffer, me, rounds } }));
    try {
      times.push(await new Promise<number>((resolve, reject) => {
        threads[0].once('message', resolve);
        for (const w of threads) w.once('error', reject);
      }));
    } finally {
      // Also on an error: the other thread would spin for ever.
      await Promise.all(threads.map((w) => w.terminate()));
    }
  }
  times.sort((x, y) => x - y);
  return times[Math.floor(times.length / 2)];
}

if (process.argv[1]?.endsWith('cross-core-latency.js')) {
  const [rounds, trials] = process.argv.slice(2).map(Number);
  process.stdout.write(`${(await crossCoreRoundTripNs(rounds || undefined, trials || undefined)).toFixed(0)}\n`);
}
