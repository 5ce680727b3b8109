import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runKernelBench } from './kernel-bench.js';
import { runGuardOverhead } from './guard-overhead.js';
import { runGpujsBench } from './gpujs-bench.js';
import { machineInfo } from './machine-info.js';
import { FULL_SCALE_CASES, runSimulateCase, SIMULATE_CASES, type SimulateFigure } from './simulate-bench.js';
import { MICROCIRCUIT_REFERENCE_RATES_HZ, MICROCIRCUIT_POPULATIONS } from '../src/model/microcircuit.js';

/**
 * npm run bench [-- --suite simulate|kernels|full-scale|gpujs|all]  (gpujs: NEUROCHAOS_GPUJS_MODE requires a gpu.js mode)
 * Writes JSON and Markdown into bench/results/ with the machine they ran on.
 */
const { values } = parseArgs({ options: { suite: { type: 'string', default: 'simulate,kernels,guards' } } });
const suites = new Set(values.suite === 'all' ? ['simulate', 'kernels', 'guards', 'full-scale'] : String(values.suite).split(','));
const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);
const machine = machineInfo();
log(`neurochaos bench on ${machine.cpu}, ${machine.cores} cores, node ${machine.node}`);

function writeSimulate(file: string, figures: SimulateFigure[]) {
  writeFileSync(`${resultsDir}${file}.json`, `${JSON.stringify({ machine, figures }, null, 2)}\n`);
  const md = [
    `# ${file}`,
    '',
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}.`,
    '',
    '| case | neurons | synapses | build s | M syn/s built | bytes/syn | wall s | RTF | M events/s | peak RSS MiB | spikeHash |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...figures.map((f) => `| ${f.name} | ${f.neurons} | ${f.synapses} | ${(f.buildMs / 1000).toFixed(2)} | ${(f.buildSynapsesPerSecond / 1e6).toFixed(1)} | ${f.bytesPerSynapse.toFixed(2)} | ${(f.wallMs / 1000).toFixed(2)} | ${f.rtf.toFixed(3)} | ${(f.synapticEventsPerWallSecond / 1e6).toFixed(1)} | ${(f.peakRssBytes / 2 ** 20).toFixed(0)} | ${f.spikeHash} |`),
    '',
  ];
  const byModel = new Map<string, SimulateFigure[]>();
  for (const f of figures) {
    const key = f.name.split(',').slice(0, 2).join(',');
    byModel.set(key, [...(byModel.get(key) ?? []), f]);
  }
  for (const [key, group] of byModel) {
    const one = group.find((f) => f.name.endsWith('workers 1'));
    const two = group.find((f) => f.name.endsWith('workers 2'));
    if (one && two) md.push(`Speed-up 1 -> 2 workers, ${key}: ${(one.wallMs / two.wallMs).toFixed(2)}x (same run of this script).`, '');
  }
  for (const f of figures) {
    if (!f.name.startsWith('microcircuit') || !f.ratesHz) continue;
    md.push(`Rates (Hz), ${f.name}, against NEST's full-scale reference:`, '', '| population | measured | reference |', '|---|---|---|');
    MICROCIRCUIT_POPULATIONS.forEach((p, i) => md.push(`| ${p} | ${f.ratesHz[p].toFixed(2)} | ${MICROCIRCUIT_REFERENCE_RATES_HZ[i]} |`));
    md.push('');
  }
  writeFileSync(`${resultsDir}${file}.md`, md.join('\n'));
  log(`  wrote bench/results/${file}.json and .md`);
}

if (suites.has('gpujs')) {
  log('gpujs:');
  runGpujsBench(resultsDir, machine, log, process.env.NEUROCHAOS_GPUJS_MODE);
}
if (suites.has('simulate')) {
  log('simulate:');
  const figs = [];
  for (const c of SIMULATE_CASES) figs.push(runSimulateCase(c, log));
  writeSimulate('simulate', figs);
}
if (suites.has('kernels')) {
  log('kernels (benny):');
  await runKernelBench(resultsDir);
}
if (suites.has('guards')) {
  log('guards (overhead):');
  runGuardOverhead(resultsDir, log);
}
if (suites.has('full-scale')) {
  log('full-scale (slow):');
  const figs = [];
  for (const c of FULL_SCALE_CASES) figs.push(runSimulateCase(c, log));
  writeSimulate('full-scale', figs);
}
