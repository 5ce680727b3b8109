import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { machineInfo } from './machine-info.js';

/**
 * The single-thread speed ratio of this build's `cpu` backend to another
 * build's (issue 21: CUBA 10 s >= 6x faster than commit 9564f1a), measured
 * interleaved: pairs of runs (base, then this build, each in a fresh
 * process, bench/cpu-ratio-child.ts), the median of the per-pair ratios.
 * Also checks that both builds give the same spike hash.
 *
 *   git worktree add /tmp/base9564 9564f1a && ln -s "$PWD/node_modules" /tmp/base9564/ && (cd /tmp/base9564 && npx tsc -p tsconfig.json)
 *   node dist/bench/cpu-ratio.js --base /tmp/base9564/dist [--model cuba|microcircuit:0.1] [--steps 100000] [--pairs 5]
 *
 * Writes bench/results/cpu-ratio-<model>.json and prints a Markdown table.
 */
const { values } = parseArgs({ options: { base: { type: 'string', default: '/tmp/base9564/dist' }, model: { type: 'string', default: 'cuba' }, steps: { type: 'string' }, pairs: { type: 'string', default: '5' } } });
const base = values.base;
if (!existsSync(`${base}/src/backends/reference-backend.js`)) throw new Error(`--base: no compiled build at ${base} (see the header of bench/cpu-ratio.ts)`);
const head = fileURLToPath(new URL('../', import.meta.url));
const child = fileURLToPath(new URL('./cpu-ratio-child.js', import.meta.url));
const steps = values.steps ?? (values.model === 'cuba' ? '100000' : '10000');
const pairs = Number(values.pairs);
interface Run { wallMs: number; cpuMs: number; spikes: number; spikeHash: string }
const runOnce = (root: string): Run => JSON.parse(execFileSync(process.execPath, [child, '--root', root, '--model', values.model, '--steps', steps], { encoding: 'utf8' }).trim().split('\n').pop()!) as Run;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const machine = machineInfo();
const rows: { base: Run; head: Run }[] = [];
for (let i = 0; i < pairs; i++) {
  const b = runOnce(base);
  const h = runOnce(head);
  if (b.spikeHash !== h.spikeHash) throw new Error(`spike hashes differ: base ${b.spikeHash}, this build ${h.spikeHash}`);
  rows.push({ base: b, head: h });
  process.stdout.write(`pair ${i + 1}: base ${(b.wallMs / 1000).toFixed(2)} s (cpu ${(b.cpuMs / 1000).toFixed(2)}), this build ${(h.wallMs / 1000).toFixed(2)} s (cpu ${(h.cpuMs / 1000).toFixed(2)}), ratio ${(b.wallMs / h.wallMs).toFixed(2)}\n`);
}
const wallRatio = median(rows.map((r) => r.base.wallMs / r.head.wallMs));
const cpuRatio = median(rows.map((r) => r.base.cpuMs / r.head.cpuMs));
const summary = { machine, model: values.model, steps: Number(steps), pairs, base, spikeHash: rows[0].head.spikeHash, medianWallRatio: wallRatio, medianCpuRatio: cpuRatio, baseWallMsMedian: median(rows.map((r) => r.base.wallMs)), headWallMsMedian: median(rows.map((r) => r.head.wallMs)), rows };
const dir = fileURLToPath(new URL('../../bench/results/', import.meta.url));
mkdirSync(dir, { recursive: true });
writeFileSync(`${dir}cpu-ratio-${values.model.replace(':', '-')}.json`, `${JSON.stringify(summary, null, 2)}\n`);
process.stdout.write(`\n| model | steps | pairs | base wall s (median) | this build wall s (median) | ratio (median of pairs, wall) | ratio (CPU time) | spikeHash |\n|---|---|---|---|---|---|---|---|\n| ${values.model} | ${steps} | ${pairs} | ${(summary.baseWallMsMedian / 1000).toFixed(2)} | ${(summary.headWallMsMedian / 1000).toFixed(2)} | ${wallRatio.toFixed(2)} | ${cpuRatio.toFixed(2)} | ${summary.spikeHash} |\n`);
process.stdout.write(`machine: ${machine.cpu}, ${machine.cores} cores, load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')}\n`);
