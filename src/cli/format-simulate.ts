import type { SimulateResult } from '../simulate.js';

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The human-readable summary of a simulate run. */
export function formatSimulateResult(r: SimulateResult): string {
  const lines = [
    `neurochaos simulate: ${r.model} on ${r.backend} (${r.workers} worker${r.workers === 1 ? '' : 's'}, batch ${r.batch}, seed ${r.seed}${r.precision === 'float64' ? '' : `, ${r.precision}`})${r.interrupted ? '  [INTERRUPTED]' : ''}`,
    ...(r.selection ? [`  backend          ${r.selection}`] : []),
    ...(r.device ? [`  device memory    ${(r.device.bytes / 2 ** 20).toFixed(2)} MiB held by the simulation (${r.device.flavour})`] : []),
    '',
    `  neurons          ${int(r.neurons)}`,
    `  synapses         ${int(r.synapses)}  (${r.bytesPerSynapse.toFixed(2)} bytes each)`,
    `  build            ${secs(r.buildMs)}`,
    `  setup            ${secs(r.setupMs)}  (constructing the backend)`,
    ...(r.deliveryOrder === 'delay' ? ['  delivery order   delay (each shard regroups a source\'s synapses by delay at its first spike: same spikes, faster on rings of 12 MiB and up)'] : []),
    `  simulated        ${r.durationMs.toFixed(1)} ms at dt ${r.dtMs} ms${r.startMs > 0 ? ` (from ${r.startMs.toFixed(1)} ms, restored)` : ''}`,
    `  wall             ${secs(r.wallMs)}  (real-time factor ${r.rtf.toFixed(3)})`,
    `  spikes           ${int(r.spikes)}`,
    `  synaptic events  ${int(r.synapticEvents)}`,
    `  peak RSS         ${(r.peakRssBytes / 2 ** 20).toFixed(0)} MiB`,
    `  spikeHash        ${r.spikeHash}`,
    ...(r.workerRestarts > 0 ? [`  worker restarts  ${r.workerRestarts}`] : []),
    ...(r.checkpointFile ? [`  checkpoint       ${r.checkpointFile}${r.checkpointsWritten > 1 ? ` (written and verified ${r.checkpointsWritten} times)` : ''}`] : []),
    ...(r.recording ? [`  recording        ${r.recording.file}${r.recording.resumed ? ' (resumed)' : ''}: ${r.recording.spikes} spikes in ${r.recording.blocks} blocks, ${r.recording.valid ? 'whole' : `DAMAGED (${r.recording.gaps} gaps)`}, ${r.recording.spikesLost} lost, ${r.recording.writeErrors} write errors retried`] : []),
    ...(r.gpujs ? [`  gpu.js mode      ${r.gpujs.mode}`, ...r.gpujs.probes.filter((p) => !p.usable).map((p) => `    not ${p.mode}: ${p.reason}`)] : []),
    '',
    '  population   rate (Hz)',
    ...Object.entries(r.ratesHz).map(([name, hz]) => `  ${name.padEnd(12)} ${hz.toFixed(3).padStart(9)}`),
  ];
  return lines.join('\n');
}
