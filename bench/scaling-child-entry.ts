/**
 * One simulation for the scaling and cpu-speed benches, in a process of its
 * own: `node scaling-child-entry.js <build root> <SimulateOptions as JSON>`.
 * Imports `simulate` from the build at <build root> (this checkout's or the
 * baseline's), and prints its result with the CPU time of the run (all
 * threads of the process, from the start of the run phase to the end):
 * on a shared machine the wall time shows the load, the CPU time much less.
 * Also the wall time of everything after the network build (`afterBuildMs`:
 * setup, loop, result and the backend's dispose), which compares builds that count a piece of
 * work to setup and to the loop differently.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';

const [root, json] = process.argv.slice(2);
const { simulate } = (await import(pathToFileURL(join(root, 'dist', 'src', 'simulate.js')).href)) as typeof import('../src/simulate.js');
let cpuAtRun: NodeJS.CpuUsage | null = null;
let buildFrom = 0;
const result = await simulate({
  ...(JSON.parse(json) as object),
  onPhase: (phase) => {
    if (phase === 'build') buildFrom = performance.now();
    else cpuAtRun = process.cpuUsage();
  },
});
// Everything after the network build (backend setup, the loop, the result, dispose): measured alike for every build,
// whichever of them its setupMs and wallMs count a piece of work to (worker threads' start, say).
const afterBuildMs = performance.now() - buildFrom - result.buildMs;
const cpu = process.cpuUsage(cpuAtRun ?? undefined);
process.stdout.write(`${JSON.stringify({ ...result, runCpuMs: (cpu.user + cpu.system) / 1000, afterBuildMs })}\n`);
