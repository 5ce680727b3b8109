import type { SimulateFigure } from './simulate-bench.js';

/**
 * Throughput table: RTF and synaptic events per wall second per case, with
 * ratios measured within the same run (the machine is shared: absolute
 * figures move by up to 50% between runs, ratios much less).
 */
export function throughputMarkdown(figures: SimulateFigure[], machineLine: string, command: string): string {
  const rows = figures.map((f) => {
    const base = figures.find((g) => g.name === f.name.replace(/, [^,]+, batch \d+$/, ', cpu, batch 1'));
    const speedup = base ? (base.wallMs / base.batch / (f.wallMs / f.batch)).toFixed(2) : '-';
    return `| ${f.name} | ${f.neurons} | ${f.synapses} | ${f.rtf.toFixed(3)} | ${(f.rtf / f.batch).toFixed(3)} | ${(f.synapticEventsPerWallSecond / 1e6).toFixed(1)} | ${speedup} |`;
  });
  return [
    '# Throughput',
    '',
    `${machineLine} Command: \`${command}\`.`,
    '',
    'RTF = wall time / simulated time of the whole batch; per replica = RTF / batch; speed-up = replica-seconds per wall second relative to the same model on `cpu`, batch 1, in this run.',
    '',
    '| case | neurons | synapses | RTF | RTF per replica | M syn. events / wall s | speed-up vs cpu batch 1 |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
