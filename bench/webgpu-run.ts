import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from './machine-info.js';
import { webgpuSuite } from './webgpu-bench.js';

/**
 * The webgpu suite alone, without bench/run.ts's other suites and their dev
 * dependencies (benny): what bench/gpu-check-webgpu.sh runs from a bundle of
 * production modules. Same results as `npm run bench -- --suite webgpu`.
 * Usage: node dist/bench/webgpu-run.js [--quick]
 */
const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const machine = machineInfo();
const log = (line: string) => process.stdout.write(`${line}\n`);
log(`neurochaos webgpu bench on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')}`);
await webgpuSuite(resultsDir, machine, log, values.quick === true, `node dist/bench/webgpu-run.js${values.quick === true ? ' --quick' : ''}`);
process.exit(0); // Dawn's device keeps Node's event loop alive
