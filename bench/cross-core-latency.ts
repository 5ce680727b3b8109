import { Worker } from 'node:worker_threads';

/**
 * The round trip of one cache line between two worker threads (ns): thread
 * A stores a sequence number, thread B waits for it and stores it back in
 * another line, `rounds` times; the median of `trials` timings. What it
 * tells: the cost of one hand-off between the cores the two threads run on,
 * which bounds the workers backend's per-step synchronisation (a model with a
 * one-step minimum delay exchanges spikes at every step). On this project's
 * 2-core VM it has read from about 150 ns to about 1,130 ns on different
 * days (docs/performance.md, "Cross-core latency"), so benches record it.
 * A few ms of fixed cost stay inside each timing, so short trials read high
 * (about 4,600 ns at 1,000 rounds, 1,400 at 10,000 on a VM where 50,000
 * and 200,000 read 1,070): keep the default for a figure.
 *
 *   node dist/bench/cross-core-latency.js [rounds] [trials]   (prints the ns)
 *
 * @param rounds round trips per trial, an integer >= 1
 * @param trials timed trials, an integer >= 1 (each with two fresh threads)
 * @throws RangeError naming `rounds` or `trials` when out of range; Error when a thread fails or exits before it reports
 */
export async function crossCoreRoundTripNs(rounds = 50_000, trials = 3): Promise<number> {
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`rounds: must be an integer >= 1; got ${rounds}`);
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials: must be an integer >= 1; got ${trials}`);
  // Word 32 (a third line, written by both threads but only before the
  // clock) is a start handshake: each thread counts itself in and spins until
  // both have, so the timing starts with both threads running and a thread's
  // start-up (hundreds of microseconds) is not timed.
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
    // Words 0, 16 and 32: three 64-byte lines, so the timed stores of the two threads never share one.
    const buffer = new SharedArrayBuffer(192);
    const threads = [0, 1].map((me) => new Worker(code, { eval: true, workerData: { buffer, me, rounds } }));
    try {
      times.push(await new Promise<number>((resolve, reject) => {
        threads[0].once('message', resolve);
        for (const w of threads) {
          w.once('error', reject);
          // A thread gone without an error would leave the other spinning for ever.
          w.once('exit', (code) => reject(new Error(`a probe thread exited (code ${code}) before the timing was reported`)));
        }
      }));
    } finally {
      // Also on an error: the other thread would spin for ever.
      await Promise.all(threads.map((w) => w.terminate()));
    }
  }
  times.sort((x, y) => x - y);
  const mid = times.length >> 1;
  return times.length % 2 === 1 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}

if (process.argv[1]?.endsWith('cross-core-latency.js')) {
  // An argument given is checked as the function checks it (no silent default for 0 or 'abc'): exit 2 with the field named.
  const [rounds, trials] = process.argv.slice(2, 4).map(Number);
  try {
    process.stdout.write(`${(await crossCoreRoundTripNs(rounds, trials)).toFixed(0)}\n`);
  } catch (e) {
    process.stderr.write(`cross-core-latency: ${(e as Error).message}\n`);
    process.exitCode = e instanceof RangeError ? 2 : 1;
  }
}
