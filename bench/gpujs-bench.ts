import { writeFileSync } from 'node:fs';
import { runSimulateCase, type SimulateCase, type SimulateFigure } from './simulate-bench.js';
import type { machineInfo } from './machine-info.js';

/**
 * Throughput of the gpujs backend beside the cpu reference on the same runs
 * (each in its own process). `mode` requires a gpu.js mode (the GPU check
 * passes webgpu); without it the backend takes the best working one (cpu on
 * the project's machine).
 */
export function gpujsCases(mode?: string): SimulateCase[] {
  const gpujs = ['--backend', 'gpujs', ...(mode ? ['--gpujs-mode', mode] : [])];
  return [
    { name: 'cuba, 1 s, cpu', args: ['--model', 'cuba', '--duration', '1000', '--backend', 'cpu'] },
    { name: 'cuba, 1 s, gpujs', args: ['--model', 'cuba', '--duration', '1000', ...gpujs] },
    { name: 'microcircuit 0.1, 20 ms, cpu', args: ['--model', 'microcircuit', '--scale', '0.1', '--duration', '20', '--backend', 'cpu'] },
    { name: 'microcircuit 0.1, 20 ms, gpujs', args: ['--model', 'microcircuit', '--scale', '0.1', '--duration', '20', ...gpujs] },
  ];
}

export function runGpujsBench(resultsDir: string, machine: ReturnType<typeof machineInfo>, log: (line: string) => void, mode?: string): SimulateFigure[] {
  const figures = gpujsCases(mode).map((c) => runSimulateCase(c, log));
  const file = mode ? `gpujs-${mode}` : 'gpujs';
  writeFileSync(`${resultsDir}${file}.json`, `${JSON.stringify({ machine, figures }, null, 2)}\n`);
  const md = [
    `# ${file}`,
    '',
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores), Node ${machine.node}. RTF = wall time / simulated time.`,
    '',
    '| case | gpu.js mode | neurons | synapses | wall s | RTF | steps/s | spikeHash |',
    '|---|---|---|---|---|---|---|---|',
    ...figures.map((f) => `| ${f.name} | ${f.gpujs?.mode ?? '-'} | ${f.neurons} | ${f.synapses} | ${(f.wallMs / 1000).toFixed(2)} | ${f.rtf.toFixed(2)} | ${((f.durationMs / f.dtMs) / (f.wallMs / 1000)).toFixed(0)} | ${f.spikeHash} |`),
    '',
    'Equal spike hashes on a row pair: the gpujs backend reproduced the reference bit for bit.',
    '',
    ...figures.flatMap((f) => (f.gpujs ? f.gpujs.probes.filter((p) => !p.usable).map((p) => `- ${f.name}: not ${p.mode}: ${p.reason}`) : [])),
    '',
  ];
  writeFileSync(`${resultsDir}${file}.md`, md.join('\n'));
  log(`  wrote bench/results/${file}.json and .md`);
  return figures;
}
