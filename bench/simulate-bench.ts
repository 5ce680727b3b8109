import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { SimulateResult } from '../src/simulate.js';

const BIN = fileURLToPath(new URL('../../bin/neurochaos.js', import.meta.url));

export interface SimulateCase {
  name: string;
  /** Flags for `neurochaos simulate`; each case runs in its own process, so peak RSS is its own. */
  args: string[];
}

/** Issue figures: build time, synapses, bytes per synapse, RTF per backend and worker count. */
export const SIMULATE_CASES: SimulateCase[] = [
  { name: 'microcircuit 0.1, 1 s, cpu', args: ['--model', 'microcircuit', '--scale', '0.1', '--k-scale', '1', '--duration', '1000', '--backend', 'cpu'] },
  { name: 'microcircuit 0.1, 1 s, workers 1', args: ['--model', 'microcircuit', '--scale', '0.1', '--k-scale', '1', '--duration', '1000', '--backend', 'workers', '--workers', '1'] },
  { name: 'microcircuit 0.1, 1 s, workers 2', args: ['--model', 'microcircuit', '--scale', '0.1', '--k-scale', '1', '--duration', '1000', '--backend', 'workers', '--workers', '2'] },
  { name: 'cuba, 10 s, cpu', args: ['--model', 'cuba', '--duration', '10000', '--backend', 'cpu'] },
  { name: 'cuba, 10 s, workers 1', args: ['--model', 'cuba', '--duration', '10000', '--backend', 'workers', '--workers', '1'] },
  { name: 'cuba, 10 s, workers 2', args: ['--model', 'cuba', '--duration', '10000', '--backend', 'workers', '--workers', '2'] },
];

/** Throughput across model, scale, backend, worker count and batch size (each its own process). */
export function throughputCases(quick: boolean): SimulateCase[] {
  const out: SimulateCase[] = [];
  const mc = (scale: number, k: number, ms: number) => ['--model', 'microcircuit', '--scale', String(scale), '--k-scale', String(k), '--duration', String(ms)];
  const engines: [string, string[]][] = [['cpu', ['--backend', 'cpu']], ['workers 1', ['--backend', 'workers', '--workers', '1']], ['workers 2', ['--backend', 'workers', '--workers', '2']]];
  const models: [string, string[]][] = quick
    ? [['microcircuit 0.02 k0.1, 200 ms', mc(0.02, 0.1, 200)], ['microcircuit 0.05, 100 ms', mc(0.05, 1, 100)]]
    : [['microcircuit 0.02 k0.1, 1 s', mc(0.02, 0.1, 1000)], ['microcircuit 0.05, 500 ms', mc(0.05, 1, 500)], ['microcircuit 0.1, 500 ms', mc(0.1, 1, 500)], ['cuba, 2 s', ['--model', 'cuba', '--duration', '2000']]];
  for (const [model, args] of models) {
    for (const [engine, eargs] of engines) {
      for (const batch of quick ? [1, 4] : [1, 4, 8]) out.push({ name: `${model}, ${engine}, batch ${batch}`, args: [...args, ...eargs, '--batch', String(batch)] });
    }
  }
  return out;
}

/** Full scale: memory target (100 ms), and rates against NEST's reference after discarding 500 ms. */
export const FULL_SCALE_CASES: SimulateCase[] = [
  { name: 'microcircuit 1.0, 100 ms, workers 2', args: ['--model', 'microcircuit', '--scale', '1', '--duration', '100', '--backend', 'workers', '--workers', '2'] },
  { name: 'microcircuit 1.0, 1500 ms (rates after 500 ms), workers 2', args: ['--model', 'microcircuit', '--scale', '1', '--duration', '1500', '--warmup', '500', '--backend', 'workers', '--workers', '2'] },
];

export interface SimulateFigure extends SimulateResult {
  name: string;
  buildSynapsesPerSecond: number;
  synapticEventsPerWallSecond: number;
}

export function runSimulateCase(c: SimulateCase, log: (line: string) => void): SimulateFigure {
  log(`  ${c.name} ...`);
  const run = spawnSync(process.execPath, [BIN, 'simulate', ...c.args, '--json'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`${c.name} failed (exit ${run.status}): ${run.stderr}`);
  const r = JSON.parse(run.stdout) as SimulateResult;
  const fig = { ...r, name: c.name, buildSynapsesPerSecond: r.synapses / (r.buildMs / 1000), synapticEventsPerWallSecond: r.synapticEvents / (r.wallMs / 1000) };
  log(`    build ${(fig.buildMs / 1000).toFixed(2)} s (${(fig.buildSynapsesPerSecond / 1e6).toFixed(1)} M syn/s), ${fig.synapses} synapses, ${fig.bytesPerSynapse.toFixed(2)} B/syn, RTF ${fig.rtf.toFixed(3)}, peak RSS ${(fig.peakRssBytes / 2 ** 30).toFixed(2)} GiB, hash ${fig.spikeHash}`);
  return fig;
}
