import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

/**
 * One timed single-threaded run for bench/cpu-ratio.ts, against the compiled
 * library under --root (this build's dist, or another commit's): builds the
 * network (untimed), runs --steps steps on the `cpu` backend (ReferenceBackend)
 * (in --precision, default float64: SimulationOptions.precision; a build
 * older than the option ignores it, so give it only to this build's runs)
 * and prints one JSON line {wallMs, cpuMs, spikes, spikeHash, precision} (cpuMs: this
 * process's CPU time over the run, less sensitive to a loaded machine). A process per run, so
 * that the two builds never share a JIT or a heap.
 */
const { values } = parseArgs({ options: { root: { type: 'string' }, model: { type: 'string', default: 'cuba' }, steps: { type: 'string', default: '100000' }, seed: { type: 'string', default: '1' }, precision: { type: 'string', default: 'float64' } } });
if (values.precision !== 'float64' && values.precision !== 'float32') throw new Error(`--precision: must be one of float64, float32 (got ${JSON.stringify(values.precision)})`);
const root = values.root ?? new URL('../', import.meta.url).pathname;
const load = (p: string) => import(pathToFileURL(`${root}/${p}`).href);
const { buildNetwork } = await load('src/model/builder.js');
const { ReferenceBackend } = await load('src/backends/reference-backend.js');
const seed = Number(values.seed);
let spec;
if (values.model === 'cuba') spec = (await load('src/model/cuba.js')).cubaSpec();
else if (values.model.startsWith('microcircuit')) spec = (await load('src/model/microcircuit.js')).microcircuitSpec({ scale: Number(values.model.split(':')[1] ?? '0.1') });
else throw new Error(`unknown model ${values.model}`);
const net = buildNetwork(spec, { seed });
const sim = new ReferenceBackend(net, { seed, precision: values.precision });
const t0 = performance.now();
const c0 = process.cpuUsage();
sim.advance(Number(values.steps));
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(c0);
process.stdout.write(`${JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000, spikes: sim.recorder.totalSpikes, spikeHash: sim.recorder.spikeHash(), precision: values.precision })}\n`);
