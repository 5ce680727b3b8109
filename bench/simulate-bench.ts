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
