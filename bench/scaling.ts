import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { machineInfo } from './machine-info.js';
import { engineOptions, modelOptions, simulateChild } from './scaling-child.js';
import { scalingSvg } from './scaling-plot.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

interface Size {
  model: 'cuba' | 'microcircuit';
  scale: number;
  /** Simulated ms: shorter for the large networks, so the whole suite fits a session (RTF is per simulated second). */
  durationMs: number;
}

/** Microcircuit scales of issue 21 (k-scale 1: in-degrees as at full scale) and CUBA; 0.5 and 1.0 only with --full. */
export function scalingSizes(full: boolean): Size[] {
  const sizes: Size[] = [
    { model: 'cuba', scale: 1, durationMs: 2000 },
    { model: 'microcircuit', scale: 0.02, durationMs: 1000 },
    { model: 'microcircuit', scale: 0.05, durationMs: 1000 },
    { model: 'microcircuit', scale: 0.1, durationMs: 500 },
    { model: 'microcircuit', scale: 0.2, durationMs: 300 },
  ];
  if (full) sizes.push({ model: 'microcircuit', scale: 0.5, durationMs: 200 }, { model: 'microcircuit', scale: 1, durationMs: 200 });
  return sizes;
}

export interface ScalingFigure {
  name: string;
  model: string;
  scale: number;
  workers: number;
  neurons: number;
  synapses: number;
  durationMs: number;
  buildMs: number;
  wallMs: number;
  rtf: number;
  /** CPU time of the run (all threads) per simulated second: the cost with the machine's load mostly taken out. */
  cpuSecondsPerSimulatedSecond: number;
  synapticEventsPerWallSecond: number;
  /** Connectivity bytes per synapse (CSR arrays). */
  bytesPerSynapse: number;
  /** Whole-process peak RSS over synapses: everything the run held, per synapse. */
  rssBytesPerSynapse: number;
  peakRssBytes: number;
  spikeHash: string;
  loadBefore: number;
}

/**
 * `npm run bench -- --suite scaling [--full]`: RTF, synaptic events per wall
 * second, bytes per synapse and peak RSS against network size and worker
 * count, each case in its own process. Writes bench/results/scaling.{md,json,svg}.
 */
export function runScaling(resultsDir: string, machine: ReturnType<typeof machineInfo>, log: (line: string) => void, full: boolean, workerCounts = [1, 2]): ScalingFigure[] {
  const figures: ScalingFigure[] = [];
  for (const size of scalingSizes(full)) {
    for (const workers of workerCounts) {
      const name = `${size.model === 'cuba' ? 'CUBA' : `microcircuit ${size.scale}`}, ${size.durationMs} ms, workers ${workers}`;
      log(`  ${name} ...`);
      const r = simulateChild(REPO, { ...modelOptions(size.model, size.scale, size.durationMs), ...engineOptions(workers) });
      const f: ScalingFigure = {
        name,
        model: size.model,
        scale: size.scale,
        workers,
        neurons: r.neurons,
        synapses: r.synapses,
        durationMs: r.durationMs,
        buildMs: r.buildMs,
        wallMs: r.wallMs,
        rtf: r.rtf,
        cpuSecondsPerSimulatedSecond: r.runCpuMs / r.durationMs,
        synapticEventsPerWallSecond: r.synapticEvents / (r.wallMs / 1000),
        bytesPerSynapse: r.bytesPerSynapse,
        rssBytesPerSynapse: r.peakRssBytes / Math.max(1, r.synapses),
        peakRssBytes: r.peakRssBytes,
        spikeHash: r.spikeHash,
        loadBefore: r.loadBefore,
      };
      log(`    RTF ${f.rtf.toFixed(3)}, CPU ${f.cpuSecondsPerSimulatedSecond.toFixed(3)} s/s, ${(f.synapticEventsPerWallSecond / 1e6).toFixed(1)} M events/s, ${f.bytesPerSynapse.toFixed(2)} B/syn, peak RSS ${(f.peakRssBytes / 2 ** 20).toFixed(0)} MiB, load ${f.loadBefore.toFixed(1)}`);
      figures.push(f);
    }
  }
  const loadAfter = loadavg();
  writeFileSync(`${resultsDir}scaling.json`, `${JSON.stringify({ machine, loadAfter, figures }, null, 2)}\n`);
  const md = [
    '# scaling',
    '',
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}; load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')} at the start, ${loadAfter.map((x) => x.toFixed(1)).join(' / ')} at the end (a shared machine; each row's 1-minute load is in the last column). Cross-core round trip (bench/cross-core-latency.ts): ${machine.crossCoreRoundTripNs ?? 'n/a'} ns.`,
    `Command: \`npm run bench -- --suite scaling${full ? ' --full' : ''}\`. Each case is a fresh process running \`simulate()\` (bench/scaling-child-entry.ts), backend workers; microcircuit at k-scale 1. Plot: scaling.svg.`,
    '',
    '| case | neurons | synapses | wall s | RTF | CPU s / sim s | M events / wall s | B/syn (connectivity) | B/syn (peak RSS) | peak RSS MiB | spikeHash | load |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...figures.map((f) => `| ${f.name} | ${f.neurons} | ${f.synapses} | ${(f.wallMs / 1000).toFixed(2)} | ${f.rtf.toFixed(3)} | ${f.cpuSecondsPerSimulatedSecond.toFixed(3)} | ${(f.synapticEventsPerWallSecond / 1e6).toFixed(1)} | ${f.bytesPerSynapse.toFixed(2)} | ${f.rssBytesPerSynapse.toFixed(2)} | ${(f.peakRssBytes / 2 ** 20).toFixed(0)} | ${f.spikeHash} | ${f.loadBefore.toFixed(1)} |`),
    '',
  ];
  for (const size of scalingSizes(full)) {
    const one = figures.find((f) => f.model === size.model && f.scale === size.scale && f.workers === 1);
    const two = figures.find((f) => f.model === size.model && f.scale === size.scale && f.workers === 2);
    if (one && two) md.push(`- ${size.model === 'cuba' ? 'CUBA' : `microcircuit ${size.scale}`}: 1 -> 2 workers ${(one.wallMs / two.wallMs).toFixed(2)}x${one.spikeHash === two.spikeHash ? ', same spikes' : ', SPIKES DIFFER'}`);
  }
  md.push('');
  writeFileSync(`${resultsDir}scaling.md`, md.join('\n'));
  const micro = figures.filter((f) => f.model === 'microcircuit');
  writeFileSync(`${resultsDir}scaling.svg`, scalingSvg(micro.map((f) => ({ synapses: f.synapses, rtf: f.rtf, workers: f.workers, label: f.name })), `Microcircuit: cost vs size (${machine.cores} cores, load ${machine.loadAverage[0].toFixed(1)})`));
  log('  wrote bench/results/scaling.json, .md and .svg');
  return figures;
}
