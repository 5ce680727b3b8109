import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { median, quantile } from 'simple-statistics';
import type { machineInfo } from './machine-info.js';
import { BASELINE_COMMIT, ensureBaselineBuild } from './cpu-speed-baseline.js';
import { measureGuardOverhead } from './guard-overhead.js';
import { engineOptions, modelOptions, simulateChild, type ChildOptions, type ChildRun } from './scaling-child.js';
import type { Precision } from '../src/backends/precision.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** One race: two commands run in turn (order flipped every pair), their wall-time ratio per pair. */
interface Race {
  name: string;
  /** What the ratio must reach (slow / fast), from issue 21. */
  target: number;
  slow: { label: string; bin: 'baseline' | 'current'; options: ChildOptions };
  fast: { label: string; bin: 'baseline' | 'current'; options: ChildOptions };
}

export interface RaceFigure {
  name: string;
  target: number;
  slowLabel: string;
  fastLabel: string;
  pairs: number;
  /** Median over pairs of slow wall / fast wall, and its quartiles. */
  medianRatio: number;
  q1: number;
  q3: number;
  met: boolean;
  slowWallMs: number[];
  fastWallMs: number[];
  /** CPU time of the run phase (all threads), per side: steadier than wall time on a loaded machine. */
  slowCpuMs: number[];
  fastCpuMs: number[];
  /** Median over pairs of slow CPU / fast CPU. */
  medianCpuRatio: number;
  fastPeakRssBytes: number;
  /** Backend construction of the fast side per pair (simulate's setupMs), outside the wall ratio; null where the build does not report it. */
  fastSetupMs: (number | null)[];
  /** Spike hashes agree between the two sides (same model, seed and duration). */
  sameSpikes: boolean;
  loadBefore: number[];
}

/**
 * Issue 21's races. With `precision` (--precision), this build's sides run
 * in it (the baseline has no such option: its side stays float64, so spikes
 * differ in float32) and a race of this build's CUBA in float64 against it
 * is added (target > 1).
 */
function races(full: boolean, precision?: Precision): Race[] {
  const p: ChildOptions = precision === undefined ? {} : { precision };
  const cuba = modelOptions('cuba', 1, 10_000);
  const mc01 = modelOptions('microcircuit', 0.1, 1000);
  const list: Race[] = [
    { name: 'CUBA 10 s, cpu (1 thread), vs baseline', target: 6, slow: { label: `${BASELINE_COMMIT} cpu`, bin: 'baseline', options: { ...cuba, ...engineOptions('cpu') } }, fast: { label: `this build cpu${precision ? ` ${precision}` : ''}`, bin: 'current', options: { ...cuba, ...engineOptions('cpu'), ...p } } },
    { name: 'CUBA 10 s, workers 1 vs workers 2 (this build)', target: 1, slow: { label: 'workers 1', bin: 'current', options: { ...cuba, ...engineOptions(1), ...p } }, fast: { label: 'workers 2', bin: 'current', options: { ...cuba, ...engineOptions(2), ...p } } },
    { name: 'microcircuit 0.1, 1 s, workers 2, vs baseline', target: 2.5, slow: { label: `${BASELINE_COMMIT} workers 2`, bin: 'baseline', options: { ...mc01, ...engineOptions(2) } }, fast: { label: 'this build workers 2', bin: 'current', options: { ...mc01, ...engineOptions(2), ...p } } },
  ];
  if (precision === 'float32') list.push({ name: 'CUBA 10 s, cpu (1 thread), float64 vs float32 (this build)', target: 1, slow: { label: 'this build cpu float64', bin: 'current', options: { ...cuba, ...engineOptions('cpu') } }, fast: { label: 'this build cpu float32', bin: 'current', options: { ...cuba, ...engineOptions('cpu'), precision } } });
  if (full) {
    const mc1 = modelOptions('microcircuit', 1, 1000);
    list.push({ name: 'microcircuit 1.0 (77,169 neurons), 1 s, workers 2, vs baseline', target: 2, slow: { label: `${BASELINE_COMMIT} workers 2`, bin: 'baseline', options: { ...mc1, ...engineOptions(2) } }, fast: { label: 'this build workers 2', bin: 'current', options: { ...mc1, ...engineOptions(2), ...p } } });
  }
  return list;
}

function race(r: Race, pairs: number, roots: Record<'baseline' | 'current', string>, log: (line: string) => void): RaceFigure {
  log(`  ${r.name} (${pairs} pairs) ...`);
  const slow: ChildRun[] = [];
  const fast: ChildRun[] = [];
  for (let p = 0; p < pairs; p++) {
    // Order flips every pair, so a drift of the machine's load hits both sides alike.
    const sides = p % 2 === 0 ? [r.slow, r.fast] : [r.fast, r.slow];
    for (const side of sides) (side === r.slow ? slow : fast).push(simulateChild(roots[side.bin], side.options));
    log(`    pair ${p + 1}: ${r.slow.label} ${(slow[p].wallMs / 1000).toFixed(2)} s (cpu ${(slow[p].runCpuMs / 1000).toFixed(2)} s), ${r.fast.label} ${(fast[p].wallMs / 1000).toFixed(2)} s (cpu ${(fast[p].runCpuMs / 1000).toFixed(2)} s) -> ${(slow[p].wallMs / fast[p].wallMs).toFixed(2)}x (load ${slow[p].loadBefore.toFixed(1)})`);
  }
  const ratios = slow.map((s, i) => s.wallMs / fast[i].wallMs);
  const m = median(ratios);
  const met = r.target === 1 ? m > 1 : m >= r.target;
  log(`    median ${m.toFixed(2)}x (quartiles ${quantile(ratios, 0.25).toFixed(2)}-${quantile(ratios, 0.75).toFixed(2)}), target ${r.target === 1 ? '> 1' : `>= ${r.target}`}x: ${met ? 'met' : 'MISSED'}`);
  return {
    name: r.name,
    target: r.target,
    slowLabel: r.slow.label,
    fastLabel: r.fast.label,
    pairs,
    medianRatio: m,
    q1: quantile(ratios, 0.25),
    q3: quantile(ratios, 0.75),
    met,
    slowWallMs: slow.map((x) => x.wallMs),
    fastWallMs: fast.map((x) => x.wallMs),
    slowCpuMs: slow.map((x) => x.runCpuMs),
    fastCpuMs: fast.map((x) => x.runCpuMs),
    medianCpuRatio: median(slow.map((x, i) => x.runCpuMs / fast[i].runCpuMs)),
    fastPeakRssBytes: Math.max(...fast.map((x) => x.peakRssBytes)),
    fastSetupMs: fast.map((x) => x.setupMs ?? null),
    sameSpikes: slow.every((s, i) => s.spikeHash === fast[i].spikeHash),
    loadBefore: slow.map((x) => x.loadBefore),
  };
}

/** The median setup in seconds, or n/a where the build does not report it. */
function setupCell(ms: (number | null)[]): string {
  const known = ms.filter((x): x is number => x !== null);
  return known.length === 0 ? 'n/a' : (median(known) / 1000).toFixed(2);
}

/**
 * `npm run bench -- --suite cpu-speed [--full] [--pairs N]`: issue 21's CPU
 * targets as ratios to the baseline commit, raced in this run (each side a
 * fresh `neurochaos simulate` process, interleaved, median of the pair
 * ratios), plus the guard overhead (bench/guard-overhead.ts: each arm in a
 * fresh process too). Writes bench/results/cpu-speed.{md,json}.
 */
export function runCpuSpeed(resultsDir: string, machine: ReturnType<typeof machineInfo>, log: (line: string) => void, full: boolean, pairs = 5, precision?: Precision): void {
  const roots = { baseline: ensureBaselineBuild(REPO, log), current: REPO };
  const figures = races(full, precision).map((r) => race(r, pairs, roots, log));
  // Guards on / off: each arm in its own process, interleaved, as many pairs as the races (at least 5).
  const guards = measureGuardOverhead(Math.max(5, pairs), 0, log);
  const loadAfter = loadavg();
  writeFileSync(`${resultsDir}cpu-speed.json`, `${JSON.stringify({ machine, loadAfter, baseline: BASELINE_COMMIT, pairs, precision: precision ?? 'float64', figures, guards }, null, 2)}\n`);
  const md = [
    '# cpu-speed',
    '',
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}; load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')} at the start, ${loadAfter.map((x) => x.toFixed(1)).join(' / ')} at the end (a shared machine).`,
    `Command: \`npm run bench -- --suite cpu-speed${full ? ' --full' : ''}${pairs !== 5 ? ` --pairs ${pairs}` : ''}${precision ? ` --precision ${precision}` : ''}\`. Baseline: a build of ${BASELINE_COMMIT} (bench/.baseline). Each side is a fresh process running \`simulate()\` of its build (bench/scaling-child-entry.ts); the sides alternate, order flipped every pair; wall time is the simulation loop (network build and backend setup excluded; the fast side's setup, the backend's construction, is its own column; the workers' regrouping of synapses by delay happens inside the loop and is counted).`,
    '',
    '| race | slow side | fast side | pairs | median wall ratio | quartiles | target | met | slow wall s (median) | fast wall s (median) | median CPU-time ratio | fast peak RSS MiB | fast setup s (median) | same spikes | load (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...figures.map((f) => `| ${f.name} | ${f.slowLabel} | ${f.fastLabel} | ${f.pairs} | ${f.medianRatio.toFixed(2)}x | ${f.q1.toFixed(2)}-${f.q3.toFixed(2)} | ${f.target === 1 ? '> 1' : `>= ${f.target}`}x | ${f.met ? 'yes' : 'no'} | ${(median(f.slowWallMs) / 1000).toFixed(2)} | ${(median(f.fastWallMs) / 1000).toFixed(2)} | ${f.medianCpuRatio.toFixed(2)}x | ${(f.fastPeakRssBytes / 2 ** 20).toFixed(0)} | ${setupCell(f.fastSetupMs)} | ${f.sameSpikes} | ${Math.min(...f.loadBefore).toFixed(1)}-${Math.max(...f.loadBefore).toFixed(1)} |`),
    '',
    `Guard overhead (guards on / off, microcircuit 0.1, 1 s, cpu, each arm a fresh process, ${guards.overhead.pairs} interleaved pairs): median wall ratio ${guards.overhead.medianRatio.toFixed(3)} (quartiles ${guards.overhead.q1.toFixed(3)}-${guards.overhead.q3.toFixed(3)}), CPU-time ratio ${guards.overhead.medianCpuRatio.toFixed(3)}, same spikes ${guards.overhead.sameSpikes} (target <= ${guards.target}: ${guards.met ? 'met' : 'missed'}).`,
    '',
  ];
  writeFileSync(`${resultsDir}cpu-speed.md`, md.join('\n'));
  log('  wrote bench/results/cpu-speed.json and .md');
}
