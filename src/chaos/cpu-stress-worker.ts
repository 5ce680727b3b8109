import { workerData } from 'node:worker_threads';

/**
 * A CPU burner thread: busy for `load` of every 10 ms period, asleep for the
 * rest, until terminated. Adds its busy milliseconds to a shared counter so
 * the fault can prove it ran.
 */
const { load, counter, index } = workerData as { load: number; counter: Float64Array; index: number };
const periodMs = 10;
const sleeper = new Int32Array(new SharedArrayBuffer(4));
let sink = 0;
for (;;) {
  const start = performance.now();
  while (performance.now() - start < load * periodMs) sink += Math.sqrt(sink + 1);
  counter[index] += performance.now() - start;
  const rest = periodMs - (performance.now() - start);
  if (rest > 0) Atomics.wait(sleeper, 0, 0, rest);
  if (sink < 0) break;
}
