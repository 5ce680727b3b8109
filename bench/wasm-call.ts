/**
 * What a call into the wasm LIF kernel costs from JavaScript, with one
 * instance and with several alternating (as in a process with several `cpu`
 * backends: every experiment), and whether it allocates:
 * `node dist/bench/wasm-call.js [INSTANCES] [CALLS]` (default 2 instances,
 * 2,000,000 calls). Each call is `lifPlain` on an empty range, so it measures
 * the call, not the kernel. Prints ns per call and the garbage collections
 * that started during the timed loop (docs/performance.md, "Parameters in
 * the memory, not in the call": with float64 arguments, 2 instances cost
 * 37 ns per call and 32 young-generation collections per 2 M calls).
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { cpuWasmModule, instantiateCpuWasm } from '../kernels/wasm/cpu_wasm.js';
import { InputError } from '../src/util/errors.js';
import { strictInteger } from './run-options.js';

/** Bad input: the argument and its range on stderr, exit 2 (as the CLI), no stack trace. */
function bad(e: InputError): never {
  process.stderr.write(`wasm-call: ${e.message}\n`);
  process.exit(2);
}
/** Argument i (a plain decimal integer in [lo, hi]) or its default. */
function argument(i: number, name: string, fallback: number, lo: number, hi: number, range: string): number {
  const raw = process.argv[2 + i];
  const v = raw === undefined ? fallback : strictInteger(raw);
  if (v === null || v < lo || v > hi) bad(new InputError(name, `must be an integer in ${range} (got ${JSON.stringify(raw)})`));
  return v;
}
const instances = argument(0, 'INSTANCES', 2, 1, 16, '[1, 16]');
const calls = argument(1, 'CALLS', 2_000_000, 1000, 1e9, '[1000, 1e9]');
const module = cpuWasmModule();
if (module === null) throw new Error('no wasm SIMD in this engine');
const kernels = Array.from({ length: instances }, () => instantiateCpuWasm(module, new WebAssembly.Memory({ initial: 1, maximum: 1 })));

function loop(n: number): number {
  let spikes = 0;
  for (let i = 0; i < n; i++) spikes += kernels[i % instances].lifPlain(0, 0, 64, 64, 64, 64, 64, 64, 64, 0, 1024);
  return spikes;
}

loop(100_000); // optimized before the clock
const starts: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) starts.push(e.startTime);
});
observer.observe({ entryTypes: ['gc'] });
const t0 = performance.now();
loop(calls);
const t1 = performance.now();
await new Promise((r) => setTimeout(r, 50));
observer.disconnect();
const collections = starts.filter((t) => t >= t0 && t <= t1).length;
process.stdout.write(`${instances} instance(s), ${calls} calls: ${(((t1 - t0) * 1e6) / calls).toFixed(1)} ns per call, ${collections} collections during the loop\n`);
