import { simulate, type SimulateOptions, type SimulateResult } from '../src/simulate.js';

export interface SimulateCase {
  name: string;
  options: SimulateOptions;
}

/** The figures issue 2 asks for: build time, synapses, bytes per synapse, RTF (single-threaded reference). */
export const SIMULATE_CASES: SimulateCase[] = [
  { name: 'microcircuit scale 0.1 k-scale 1, 1000 ms, cpu', options: { model: 'microcircuit', scale: 0.1, kScale: 1, durationMs: 1000, backend: 'cpu' } },
  { name: 'cuba, 10000 ms, cpu', options: { model: 'cuba', durationMs: 10000, backend: 'cpu' } },
];

/** Full scale, long enough to compare rates with NEST's reference after discarding 500 ms. */
export const FULL_SCALE_CASES: SimulateCase[] = [
  { name: 'microcircuit scale 1 k-scale 1, 1500 ms (first 500 ms discarded), cpu', options: { model: 'microcircuit', scale: 1, kScale: 1, durationMs: 1500, warmupMs: 500, backend: 'cpu' } },
];

export interface SimulateFigure {
  name: string;
  neurons: number;
  synapses: number;
  buildMs: number;
  buildSynapsesPerSecond: number;
  bytesPerSynapse: number;
  wallMs: number;
  rtf: number;
  synapticEventsPerWallSecond: number;
  peakRssBytes: number;
  ratesHz: Record<string, number>;
  spikeHash: string;
}

export async function runSimulateCase(c: SimulateCase, log: (line: string) => void): Promise<SimulateFigure> {
  log(`  ${c.name} ...`);
  const r: SimulateResult = await simulate(c.options);
  const fig = {
    name: c.name,
    neurons: r.neurons,
    synapses: r.synapses,
    buildMs: r.buildMs,
    buildSynapsesPerSecond: r.synapses / (r.buildMs / 1000),
    bytesPerSynapse: r.bytesPerSynapse,
    wallMs: r.wallMs,
    rtf: r.rtf,
    synapticEventsPerWallSecond: r.synapticEvents / (r.wallMs / 1000),
    peakRssBytes: r.peakRssBytes,
    ratesHz: r.ratesHz,
    spikeHash: r.spikeHash,
  };
  log(`    build ${(fig.buildMs / 1000).toFixed(2)} s (${(fig.buildSynapsesPerSecond / 1e6).toFixed(1)} M syn/s), ${fig.synapses} synapses, ${fig.bytesPerSynapse.toFixed(2)} B/syn, RTF ${fig.rtf.toFixed(3)}`);
  return fig;
}
