import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { runKernelBench } from './kernel-bench.js';
import { runGuardOverhead } from './guard-overhead.js';
import { runTfjsBatchBench } from './tfjs-batch.js';
import { runGpujsBench } from './gpujs-bench.js';
import { webgpuSuite } from './webgpu-bench.js';
import { machineInfo } from './machine-info.js';
import { FULL_SCALE_CASES, runSimulateCase, SIMULATE_CASES, throughputCases, type SimulateFigure } from './simulate-bench.js';
import { throughputMarkdown } from './throughput-table.js';
import { runDegradation } from './degradation/run-degradation.js';
import { runScaling } from './scaling.js';
import { runCpuSpeed } from './cpu-speed.js';
import { runVerdictPower } from './verdict-power.js';
import { powerConfig } from './verdict-power-config.js';
import { formatDuration } from './degradation/progress.js';
import { InputError } from '../src/util/errors.js';
import { parseBenchOptions, pairsFor, type BenchOptions } from './run-options.js';
import { MICROCIRCUIT_REFERENCE_RATES_HZ, MICROCIRCUIT_POPULATIONS } from '../src/model/microcircuit.js';

/**
 * npm run bench [-- --quick] [--suite simulate,throughput,kernels,guards,degradation,tfjs-batch,gpujs,full-scale,webgpu,verdict-power,scaling,cpu-speed|all] [--backend cpu|workers] [--full] [--pairs N] [--precision float64|float32]
 * --full: verdict-power's full form (scale 0.1, 40 trials per point); its quick form is the default. --points id,id: only those of its points;
 * --trials N: that many trials per point instead of the form's (results then go to verdict-power[-quick]-<points>-t<N> files, so a partial run never overwrites the whole table).
 * scaling: --full adds microcircuit 0.5 and 1.0. cpu-speed: ratios to a build of 9564f1a (made in bench/.baseline when missing), --pairs N (default 5), --full adds the full-scale microcircuit, --precision float32 runs this build's sides in single precision and adds a float64-vs-float32 CUBA race. guards: --pairs N (default 7, at least 5) pairs of processes, guards on and off. campaign: --pairs N interleaved rounds of its setups (default 5; 1 with --quick).
 * Writes JSON, CSV, Markdown and HTML into bench/results/ with the machine they ran on.
 * --quick: a smoke check of every default suite (under 5 minutes on 2 cores; simulate and guards skip it); results go to *-quick files.
 * Every flag is checked before any suite runs (bench/run-options.ts): a flag no selected suite takes, a flag given twice or
 * a value out of range stops the run with the flag and its range, exit 2.
 * (gpujs: NEUROCHAOS_GPUJS_MODE requires a gpu.js mode)
 */
let options: BenchOptions;
try {
  options = parseBenchOptions(process.argv.slice(2));
} catch (e) {
  // A bad flag is bad input: the message names the flag and its range, exit 2 as the CLI does (no stack trace).
  if (!(e instanceof InputError)) throw e;
  process.stderr.write(`npm run bench: ${e.message}\n`);
  process.exit(2);
}
// The suites that run (those --quick skips left out).
const suites = options.running;
const values = { full: options.full, backend: options.backend, points: options.points?.join(','), trials: options.trials };
const quick = options.quick;
const suffix = quick ? '-quick' : '';
const resultsDir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const log = (line: string) => process.stdout.write(`${line}\n`);
const machine = machineInfo();
log(`neurochaos bench on ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB, node ${machine.node}, load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')}${quick ? ' (quick)' : ''}`);
// Up-front estimate from this project's 2-core machine (loaded); the degradation suite refines its own on stderr.
const ESTIMATE_S: Record<string, [number, number]> = { simulate: [40, 40], throughput: [60, 400], kernels: [25, 60], guards: [80, 80], degradation: [150, 1500], 'tfjs-batch': [60, 60], gpujs: [120, 120], 'full-scale': [300, 300], webgpu: [90, 300], 'verdict-power': [900, 900], campaign: [90, 300], scaling: [240, 240], 'cpu-speed': [900, 900] };
const estimate = [...suites].reduce((a, s) => a + (ESTIMATE_S[s]?.[quick ? 0 : 1] ?? 0), 0);
log(`suites: ${[...suites].join(', ')}; expect about ${formatDuration(estimate)} on 2 cores (more on a loaded machine)`);

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
if (suites.has('webgpu')) await webgpuSuite(resultsDir, machine, (line) => log(line), quick);
if (suites.has('simulate')) {
  log('simulate:');
  const figs = [];
  for (const c of SIMULATE_CASES) figs.push(runSimulateCase(c, log));
  writeSimulate('simulate', figs);
}
if (suites.has('throughput')) {
  log('throughput (RTF and synaptic events per wall second per model, scale, backend, workers, batch):');
  const figs = throughputCases(quick).map((c) => runSimulateCase(c, log));
  const name = `throughput${suffix}`;
  writeFileSync(`${resultsDir}${name}.json`, `${JSON.stringify({ machine, figures: figs }, null, 2)}\n`);
  writeFileSync(`${resultsDir}${name}.md`, throughputMarkdown(figs, `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}, load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')} at the start (a shared machine).`, `npm run bench -- --suite throughput${quick ? ' --quick' : ''}`));
  log(`  wrote bench/results/${name}.json and .md`);
}
if (suites.has('kernels')) {
  log('kernels (benny):');
  await runKernelBench(resultsDir, quick);
}
if (suites.has('guards')) {
  log('guards (overhead):');
  runGuardOverhead(resultsDir, log, pairsFor(options, 'guards'));
}
if (suites.has('degradation')) {
  log(`degradation curves (${quick ? 'quick' : 'full'}), a campaign (docs/campaigns.md):`);
  await runDegradation(quick, resultsDir, `degradation${suffix}`, log);
}
if (suites.has('tfjs-batch')) {
  const figures = await runTfjsBatchBench();
  writeFileSync(`${resultsDir}tfjs-batch.json`, JSON.stringify({ machine: machineInfo(), figures }, null, 2));
  const md = ['| flavour | neurons | batch | steps/s | replica-steps/s |', '|---|---|---|---|---|', ...figures.map((f) => `| ${f.flavour} | ${f.neurons} | ${f.batch} | ${f.stepsPerSecond.toFixed(1)} | ${f.replicaStepsPerSecond.toFixed(0)} |`)];
  writeFileSync(`${resultsDir}tfjs-batch.md`, `# tfjs batch scaling\n\n${md.join('\n')}\n`);
  process.stdout.write(`${md.join('\n')}\n`);
}
if (suites.has('campaign')) await (await import('./campaign/campaign-bench.js')).runCampaignBench(resultsDir, machine, log, quick, pairsFor(options, 'campaign'));
if (suites.has('full-scale')) {
  log('full-scale (slow):');
  const figs = [];
  for (const c of FULL_SCALE_CASES) figs.push(runSimulateCase(c, log));
  writeSimulate('full-scale', figs);
}
if (suites.has('verdict-power')) {
  const trials = values.trials;
  const cfg = powerConfig(values.full ? 'full' : 'quick', values.backend as 'cpu' | 'workers', values.points?.split(','));
  const base = values.full ? 'verdict-power' : 'verdict-power-quick';
  // A run of some points or another trial count writes files of its own: the whole table stays as it was measured.
  const name = `${base}${values.points ? `-${values.points.split(',').join('+')}` : ''}${trials ? `-t${trials}` : ''}`;
  const command = `npm run bench -- --suite verdict-power${values.full ? ' --full' : ''}${values.points ? ` --points ${values.points}` : ''}${trials ? ` --trials ${trials}` : ''}${values.backend !== 'cpu' ? ` --backend ${values.backend}` : ''}`;
  await runVerdictPower(trials ? { ...cfg, trials } : cfg, resultsDir, name, machine, command, log);
}
if (suites.has('scaling')) {
  log(`scaling (RTF, events/s, bytes/synapse, peak RSS vs size and workers${values.full ? ', with 0.5 and 1.0' : ''}):`);
  runScaling(resultsDir, machine, log, values.full === true);
}
if (suites.has('cpu-speed')) {
  const pairs = pairsFor(options, 'cpu-speed');
  log(`cpu-speed (ratios to the baseline build, interleaved, median of ${pairs} pairs${values.full ? ', with full scale' : ''}):`);
  runCpuSpeed(resultsDir, machine, log, values.full === true, pairs, options.precision);
}
