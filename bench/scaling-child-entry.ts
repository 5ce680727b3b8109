/**
 * One simulation for the scaling and cpu-speed benches, in a process of its
 * own: `node scaling-child-entry.js <build root> <SimulateOptions as JSON>`.
 * Imports `simulate` from the build at <build root> (this checkout's or the
 * baseline's), and prints its result with the CPU time of the run (all
 * threads of the process, from the start of the run phase to the end):
 * on a shared machine the wall time shows the load, the CPU time much less.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [root, json] = process.argv.slice(2);
const { simulate } = (await import(pathToFileURL(join(root, 'dist', 'src', 'simulate.js')).href)) as typeof import('../src/simulate.js');
let cpuAtRun: NodeJS.CpuUsage | null = null;
const result = await simulate({ ...(JSON.parse(json) as object), onPhase: (phase) => phase === 'run' && (cpuAtRun = process.cpuUsage()) });
const cpu = process.cpuUsage(cpuAtRun ?? undefined);
process.stdout.write(`${JSON.stringify({ ...result, runCpuMs: (cpu.user + cpu.system) / 1000 })}\n`);
