import { spawnSync } from 'node:child_process';
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
  /**
   * Median over pairs of slow / fast wall time after the network build
   * (setup, loop, result and dispose: ChildRun.afterBuildMs): the fair ratio where
   * the builds count a piece of work (the worker threads' start) to setup
   * and to the loop differently.
   */
  medianAfterBuildRatio: number;
  /** Where the fast side's worker threads spent the loop: per thread, the median over pairs (ms); null off the workers backend or where the build does not report it. */
  fastThreadTimes: { integrateMs: number; deliverMs: number; waitMs: number }[] | null;
  /** Spike hashes agree between the two sides (same model, seed and duration). */
  sameSpikes: boolean;
  loadBefore: number[];
}

/** Per thread, the median over runs of each of its times; null when a run lacks them. */
function medianThreadTimes(runs: ChildRun[]): RaceFigure['fastThreadTimes'] {
  const all = runs.map((r) => r.threadTimes);
  if (all.some((t) => t === undefined || t.length === 0)) return null;
  const threads = all[0]!.length;
  return Array.from({ length: threads }, (_, k) => ({
    integrateMs: median(all.map((t) => t![k].integrateMs)),
    deliverMs: median(all.map((t) => t![k].deliverMs)),
    waitMs: median(all.map((t) => t![k].waitMs)),
  }));
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
    log(`    pair ${p + 1}: ${r.slow.label} ${(slow[p].wallMs / 1000).toFixed(2)} s (cpu ${(slow[p].runCpuMs / 1000).toFixed(2)} s), ${r.fast.label} ${(fast[p].wallMs / 1000).toFixed(2)} s (cpu ${(fast[p].runCpuMs / 1000).toFixed(2)} s) -> ${(slow[p].wallMs / fast[p].wallMs).toFixed(2)}x; after the build ${(slow[p].afterBuildMs / fast[p].afterBuildMs).toFixed(2)}x (load ${slow[p].loadBefore.toFixed(1)})`);
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
    medianAfterBuildRatio: median(slow.map((x, i) => x.afterBuildMs / fast[i].afterBuildMs)),
    fastThreadTimes: medianThreadTimes(fast),
    sameSpikes: slow.every((s, i) => s.spikeHash === fast[i].spikeHash),
    loadBefore: slow.map((x) => x.loadBefore),
  };
}

/** Where the fast side's worker threads spent the loop, one line per race that reports it. */
function threadTimeLines(figures: RaceFigure[]): string[] {
  const lines = figures.flatMap((f) => {
    if (f.fastThreadTimes === null) return [];
    const threads = f.fastThreadTimes.map((t, k) => `thread ${k + 1}: integrate ${t.integrateMs.toFixed(0)}, deliver ${t.deliverMs.toFixed(0)}, wait ${t.waitMs.toFixed(0)}`);
    return [`- ${f.name}, ${f.fastLabel} (loop ${median(f.fastWallMs).toFixed(0)} ms): ${threads.join('; ')}`];
  });
  return lines.length === 0 ? [] : ['Where the fast side\'s worker threads spent the loop (simulate\'s threadTimes, ms, median over pairs; the main thread\'s work between chunks falls in the waits, the rest of the loop is claiming and signalling tasks):', '', ...lines, ''];
}

/**
 * The CUBA target's bound: the float64 LIF update alone (bench/lif-update-precision.ts, its quiet case:
 * no spikes, no refractory neuron, the kernel's fastest path) over CUBA's 4,000 neurons x 100,000 steps,
 * against what the 6x target leaves for the whole run (the baseline's median wall / 6).
 */
function boundLines(figures: RaceFigure[], bound: UpdateFloor | null): string[] {
  const cuba = figures.find((f) => f.name.startsWith('CUBA 10 s, cpu (1 thread), vs baseline'));
  if (cuba === undefined || bound === null) return [];
  const budgetS = median(cuba.slowWallMs) / 1000 / cuba.target;
  const floorS = (bound.nsPerNeuronStep * 4000 * 100_000) / 1e9;
  return [
    `CUBA's bound: the LIF update alone (\`node dist/bench/lif-update-precision.js --quiet\`, ${bound.precision}, no neuron spiking or refractory, its fastest case) costs ${bound.nsPerNeuronStep.toFixed(3)} ns per neuron-step here, ${floorS.toFixed(2)} s for CUBA's 4,000 neurons x 100,000 steps; the ${cuba.target}x target leaves ${budgetS.toFixed(2)} s for the whole run (the baseline's median ${(median(cuba.slowWallMs) / 1000).toFixed(2)} s / ${cuba.target}).`,
    '',
  ];
}

interface UpdateFloor {
  precision: string;
  nsPerNeuronStep: number;
}

/** The float64 LIF update's quiet floor in this build (a fresh process; the best of its rounds), or null when it cannot run. */
function measureUpdateFloor(log: (line: string) => void): UpdateFloor | null {
  const run = spawnSync(process.execPath, [fileURLToPath(new URL('./lif-update-precision.js', import.meta.url)), '--quiet', '--steps', '100000', '--rounds', '3'], { encoding: 'utf8' });
  if (run.status !== 0) {
    log(`  update floor: lif-update-precision failed (exit ${run.status}): ${run.stderr.trim()}`);
    return null;
  }
  const rows = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as { precision: string; nsPerNeuronStep: number }).filter((r) => r.precision === 'float64');
  if (rows.length === 0) return null;
  const floor = { precision: 'float64', nsPerNeuronStep: Math.min(...rows.map((r) => r.nsPerNeuronStep)) };
  log(`  update floor: float64 LIF update alone ${floor.nsPerNeuronStep.toFixed(3)} ns per neuron-step (quiet, best of ${rows.length})`);
  return floor;
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
  const bound = precision === 'float32' ? null : measureUpdateFloor(log);
  // Guards on / off: each arm in its own process, interleaved, as many pairs as the races (at least 5).
  const guards = measureGuardOverhead(Math.max(5, pairs), 0, log);
  const loadAfter = loadavg();
  writeFileSync(`${resultsDir}cpu-speed.json`, `${JSON.stringify({ machine, loadAfter, baseline: BASELINE_COMMIT, pairs, precision: precision ?? 'float64', figures, updateFloor: bound, guards }, null, 2)}\n`);
  const md = [
    '# cpu-speed',
    '',
    `Measured ${machine.date} on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}; load average ${machine.loadAverage.map((x) => x.toFixed(1)).join(' / ')} at the start, ${loadAfter.map((x) => x.toFixed(1)).join(' / ')} at the end (a shared machine). Cross-core round trip (bench/cross-core-latency.ts): ${machine.crossCoreRoundTripNs ?? 'n/a'} ns.`,
    `Command: \`npm run bench -- --suite cpu-speed${full ? ' --full' : ''}${pairs !== 5 ? ` --pairs ${pairs}` : ''}${precision ? ` --precision ${precision}` : ''}\`. Baseline: a build of ${BASELINE_COMMIT} (bench/.baseline). Each side is a fresh process running \`simulate()\` of its build (bench/scaling-child-entry.ts); the sides alternate, order flipped every pair; wall time is the simulation loop (network build and backend setup excluded; the fast side's setup, the backend's construction, is its own column; the workers' regrouping of synapses by delay happens inside the loop and is counted).`,
    '',
    '| race | slow side | fast side | pairs | median wall ratio | quartiles | target | met | slow wall s (median) | fast wall s (median) | median CPU-time ratio | median ratio, setup + loop | fast peak RSS MiB | fast setup s (median) | same spikes | load (1 min) |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...figures.map((f) => `| ${f.name} | ${f.slowLabel} | ${f.fastLabel} | ${f.pairs} | ${f.medianRatio.toFixed(2)}x | ${f.q1.toFixed(2)}-${f.q3.toFixed(2)} | ${f.target === 1 ? '> 1' : `>= ${f.target}`}x | ${f.met ? 'yes' : 'no'} | ${(median(f.slowWallMs) / 1000).toFixed(2)} | ${(median(f.fastWallMs) / 1000).toFixed(2)} | ${f.medianCpuRatio.toFixed(2)}x | ${f.medianAfterBuildRatio.toFixed(2)}x | ${(f.fastPeakRssBytes / 2 ** 20).toFixed(0)} | ${setupCell(f.fastSetupMs)} | ${f.sameSpikes} | ${Math.min(...f.loadBefore).toFixed(1)}-${Math.max(...f.loadBefore).toFixed(1)} |`),
    '',
    'The setup + loop ratio is the wall time from the end of the network build to the result, each side measured alike: this build counts the worker threads\' start to its setup (simulate() waits for them), the baseline to its loop.',
    '',
    ...threadTimeLines(figures),
    ...boundLines(figures, bound),
    `Guard overhead (guards on / off, microcircuit 0.1, 1 s, cpu, each arm a fresh process, ${guards.overhead.pairs} interleaved pairs): median wall ratio ${guards.overhead.medianRatio.toFixed(3)} (quartiles ${guards.overhead.q1.toFixed(3)}-${guards.overhead.q3.toFixed(3)}), CPU-time ratio ${guards.overhead.medianCpuRatio.toFixed(3)}, same spikes ${guards.overhead.sameSpikes} (target <= ${guards.target}: ${guards.met ? 'met' : 'missed'}).`,
    '',
  ];
  writeFileSync(`${resultsDir}cpu-speed.md`, md.join('\n'));
  log('  wrote bench/results/cpu-speed.json and .md');
}
