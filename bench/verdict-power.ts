import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { median as simpleMedian } from 'simple-statistics';
import { formatDuration, Progress } from './degradation/progress.js';
import type { machineInfo } from './machine-info.js';
import type { PowerConfig, PowerPoint } from './verdict-power-config.js';
import { proportion, smallestDetected, type GradedRate, type Proportion } from './verdict-power-stats.js';
import { powerNetwork, replicasOf, runPointBatch, type RunOutcome, type TrialOutcome } from './verdict-power-trials.js';

/** One point's figures: the rate (false alarms under the null perturbation, detections under a fault) with its 95% interval. */
export interface PointResult {
  id: string;
  label: string;
  family: PowerPoint['family'];
  grade: number | null;
  fault: Record<string, unknown>;
  /** Paired trials each verdict pools (judge.trials of the experiment it stands for). */
  pairsPerVerdict: number;
  /** false-alarm for the null perturbation, detection for a fault. */
  measures: 'false-alarm' | 'detection';
  /** Trials with at least one failing probe, of the judged trials. */
  rate: Proportion;
  /** Trials the engine injected nothing into (the steady state did not hold before, in every attempt): not judged, not counted. */
  notInjected: number;
  /** Judged trials whose treated replica left its paired control's trajectory (null: no paired controls). */
  diverged: Proportion | null;
  /** Batched runs refused by the steady-state check before injection and rerun with the next seed. */
  refusedRuns: number;
  /** What the trials were judged against (control replicas or the baseline). */
  controls: string[];
  /** Per probe: in how many judged trials it failed, and had no data. */
  probeFailures: Record<string, number>;
  probeNoData: Record<string, number>;
  focusProbe: string;
  /** The focus probe alone: its failures, and its mean relative effect over the judged trials. */
  focusDetection: Proportion;
  meanFocusEffect: number | null;
  /** The focus probe's window (ms) and windows per side in the first judged trial, and its median p-value over the judged trials. */
  focusWindowMs: number | null;
  focusWindows: [number, number] | null;
  focusMedianPValue: number | null;
  /** The engine's own verdicts of the batched runs (every trial of the run pooled into one experiment). */
  pooledRuns: RunOutcome['pooled'][];
  trials: TrialOutcome[];
  wallSeconds: number;
}

export interface PowerResult {
  form: PowerConfig['form'];
  command: string;
  machine: ReturnType<typeof machineInfo>;
  /** 1, 5 and 15 minute load averages at the end (the machine's at the start). */
  loadAverageAtEnd: number[];
  config: Omit<PowerConfig, 'points'>;
  network: { neurons: number; synapses: number; populations: { name: string; size: number }[] };
  points: PointResult[];
  /** The issue's targets, and whether verdicts of each judge.trials met them (null: not measured). */
  targets: { falseAlarmsAtMost: number; detectionDead20AtLeast: number; byPairsPerVerdict: Record<number, TargetFigures> };
  smallestDetectedWith80Power: Record<string, ReturnType<typeof smallestDetected>>;
  wallSeconds: number;
}

export interface TargetFigures {
  falseAlarmMet: boolean | null;
  detectionDead20Met: boolean | null;
}

const FALSE_ALARM_TARGET = 0.05;
const DEAD20_TARGET = 0.95;

function count(xs: readonly string[][]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const ids of xs) for (const id of ids) out[id] = (out[id] ?? 0) + 1;
  return out;
}

function median(xs: number[]): number | null {
  return xs.length ? simpleMedian(xs) : null;
}

function summarize(point: PowerPoint, runs: RunOutcome[], pairs: number, wallMs: number): PointResult {
  const trials = runs.flatMap((r) => r.trials).filter((t) => t.pairs === pairs);
  const judged = trials.filter((t) => t.status === 'judged');
  const effects = judged.map((t) => t.focusEffect).filter((e): e is number => e !== null);
  return {
    id: point.id,
    label: point.label,
    family: point.family,
    grade: point.grade,
    fault: point.fault,
    pairsPerVerdict: pairs,
    measures: point.family === 'null' ? 'false-alarm' : 'detection',
    rate: proportion(judged.filter((t) => t.failingProbes.length > 0).length, judged.length),
    notInjected: trials.length - judged.length,
    refusedRuns: runs.reduce((a, r) => a + r.refusals, 0),
    diverged: judged.some((t) => t.diverged != null) ? proportion(judged.filter((t) => t.diverged === true).length, judged.filter((t) => t.diverged != null).length) : null,
    controls: [...new Set(judged.map((t) => t.controls ?? 'none'))],
    probeFailures: count(judged.map((t) => t.failingProbes)),
    probeNoData: count(judged.map((t) => t.noDataProbes)),
    focusProbe: point.focusProbe,
    focusDetection: proportion(judged.filter((t) => t.focusOutcome === 'fail').length, judged.length),
    meanFocusEffect: effects.length ? effects.reduce((a, b) => a + b, 0) / effects.length : null,
    focusWindowMs: judged[0]?.focusWindowMs ?? null,
    focusWindows: judged[0]?.focusWindows ?? null,
    focusMedianPValue: median(judged.map((t) => t.focusPValue).filter((x): x is number => typeof x === 'number')),
    pooledRuns: runs.map((r) => r.pooled),
    trials,
    wallSeconds: wallMs / 1000,
  };
}

/**
 * Runs every point of `cfg` (its trials in batched runs of `trialsPerRun`),
 * then writes `<name>.json` and `<name>.md` into `resultsDir`: per point the
 * false-alarm or detection rate with its Wilson 95% interval, the failing
 * probes, the focus probe's mean effect, the engine's pooled verdicts; the
 * targets (false alarms <= 5%, >= 95% detection of 20% of L4E dead); the
 * smallest grade detected with 80% power per family; the command, machine
 * and load.
 */
export async function runVerdictPower(cfg: PowerConfig, resultsDir: string, name: string, machine: ReturnType<typeof machineInfo>, command: string, log: (line: string) => void): Promise<PowerResult> {
  const t0 = performance.now();
  const network = powerNetwork(cfg);
  // Separate control runs (faults on shared weights or delivery) need a column of their own: a corrupted weight must not reach the control.
  const columns = { treated: network, control: powerNetwork(cfg) };
  const perRunReplicaMs = (trials: number, p: PowerPoint) => replicasOf(p, trials) * (cfg.warmupMs + cfg.baselineMs + cfg.observationMs + cfg.monitorIntervalMs);
  const total = cfg.points.reduce((a, p) => a + perRunReplicaMs(cfg.trials, p), 0);
  log(`  column: microcircuit scale ${cfg.scale}, k-scale ${cfg.kScale} (${network.neuronCount} neurons, ${network.synapses.targets.length} synapses), ${cfg.backend} backend; ${cfg.points.length} points x ${cfg.trials} trials (${cfg.trialsPerRun} per batched run)`);
  log(`  planned: ${Math.round(total / 1000)} simulated replica-seconds`);
  const progress = new Progress(total);
  const points: PointResult[] = [];
  for (const point of cfg.points) {
    const p0 = performance.now();
    const runs: RunOutcome[] = [];
    for (let first = 0; first < cfg.trials; first += cfg.trialsPerRun) {
      const n = Math.min(cfg.trialsPerRun, cfg.trials - first);
      const run = await runPointBatch(cfg, point, columns, n, first);
      runs.push(run);
      progress.advance(perRunReplicaMs(n, point), point.id);
    }
    for (const pairs of cfg.pairsPerVerdict) {
      const r = summarize(point, runs, pairs, performance.now() - p0);
      points.push(r);
      log(`  ${point.id}, judge.trials ${pairs}: ${r.measures} ${r.rate.successes}/${r.rate.trials} = ${pct(r.rate.rate)} [${pct(r.rate.ci95?.[0])}, ${pct(r.rate.ci95?.[1])}]; diverged ${r.diverged ? `${r.diverged.successes}/${r.diverged.trials}` : '-'}; ${point.focusProbe} effect ${pct(r.meanFocusEffect)}; failing probes ${fmtCounts(r.probeFailures)} (${formatDuration(r.wallSeconds)})`);
    }
  }
  progress.end();
  const targetsOf = (pairs: number): TargetFigures => {
    const nulls = points.filter((p) => p.measures === 'false-alarm' && p.pairsPerVerdict === pairs);
    const dead20 = points.find((p) => p.id === 'dead-L4E-20' && p.pairsPerVerdict === pairs);
    return {
      falseAlarmMet: nulls.length ? nulls.every((p) => p.rate.rate !== null && p.rate.rate <= FALSE_ALARM_TARGET) : null,
      detectionDead20Met: dead20?.rate.rate == null ? null : dead20.rate.rate >= DEAD20_TARGET,
    };
  };
  const families = [...new Set(points.filter((p) => p.grade !== null).map((p) => p.family))];
  const smallest: PowerResult['smallestDetectedWith80Power'] = {};
  for (const pairs of cfg.pairsPerVerdict) {
    for (const f of families) {
      const graded: GradedRate[] = points.filter((p) => p.family === f && p.grade !== null && p.pairsPerVerdict === pairs).map((p) => ({ id: p.id, grade: p.grade!, detection: p.rate, meanFocusEffect: p.meanFocusEffect }));
      smallest[`${f}, judge.trials ${pairs}`] = smallestDetected(graded);
    }
  }
  const { points: _points, ...config } = cfg;
  void _points;
  const result: PowerResult = {
    form: cfg.form,
    command,
    machine,
    loadAverageAtEnd: loadavg(),
    config,
    network: { neurons: network.neuronCount, synapses: network.synapses.targets.length, populations: network.populations.map((p) => ({ name: p.name, size: p.size })) },
    points,
    targets: {
      falseAlarmsAtMost: FALSE_ALARM_TARGET,
      detectionDead20AtLeast: DEAD20_TARGET,
      byPairsPerVerdict: Object.fromEntries(cfg.pairsPerVerdict.map((pairs) => [pairs, targetsOf(pairs)])),
    },
    smallestDetectedWith80Power: smallest,
    wallSeconds: (performance.now() - t0) / 1000,
  };
  writeFileSync(`${resultsDir}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(`${resultsDir}${name}.md`, powerMarkdown(result));
  log(`  wrote bench/results/${name}.json and .md (${formatDuration(result.wallSeconds)})`);
  return result;
}

function pct(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined ? '-' : `${(x * 100).toFixed(digits)}%`;
}

function fmtCounts(c: Record<string, number>): string {
  const e = Object.entries(c).sort((a, b) => b[1] - a[1]);
  return e.length ? e.map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
}

const met = (x: boolean | null) => (x === null ? 'not measured' : x ? '**met**' : '**not met**');

/** The Markdown page of a result: what ran, the table, the targets, the smallest detected effects. */
export function powerMarkdown(r: PowerResult): string {
  const c = r.config;
  const m = r.machine;
  const lines = [
    `# Verdict power and false alarms (${r.form})`,
    '',
    `Command: \`${r.command}\`. Measured ${m.date} on ${m.cpu} (${m.cores} cores, ${m.memoryGiB} GiB), Node ${m.node}; load average ${m.loadAverage.map((x) => x.toFixed(1)).join(' / ')} at the start, ${r.loadAverageAtEnd.map((x) => x.toFixed(1)).join(' / ')} at the end (a shared machine); ${formatDuration(r.wallSeconds)} wall.`,
    '',
    `Column: microcircuit scale ${c.scale}, k-scale ${c.kScale} (${r.network.neurons} neurons, ${r.network.synapses} synapses), ${c.backend} backend, seed ${c.seed}. Each experiment: warm-up ${c.warmupMs} ms, baseline ${c.baselineMs} ms, the fault active for the whole ${c.observationMs} ms observation, monitor every ${c.monitorIntervalMs} ms. Judge (the engine's defaults): rate and synchrony by permutation test over windows of >= ${c.judge.minExpectedSpikes} expected spikes, active fraction by exact McNemar test of each neuron against its paired control, p-values Holm-adjusted over all of an experiment's tests at alpha ${c.judge.alpha}, minimum effect ${pct(c.judge.relative, 0)}. ${c.trials} trials per point, ${c.trialsPerRun} per batched run.`,
    '',
    'A trial is one paired control/treated replica pair with its own noise stream (control and treated share connectivity, seed, initial state and Poisson drive; only the fault differs). A verdict is what the engine judge gives an experiment of `judge.trials` pairs: one per pair (judge.trials 1, the default), or one per group of pairs of a run, re-judged from the same simulation. A verdict with any failing probe, or whose steady-state check while the fault acted failed (listed as `steady-state.during`: the engine rule of docs/verdicts.md, re-run over the replicas of the verdict), is a detection (under the null perturbation, a false alarm). Rates with Wilson 95% intervals.',
    '',
    '| point | fault | judge.trials | control | measures | rate | 95% interval | focus probe | its mean effect | its window x windows per side | its median p | its failures | failing probes (trials) | diverged from control | runs refused before injection |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...r.points.map((p) => `| ${p.id} | ${p.label} | ${p.pairsPerVerdict} | ${p.controls.join(', ')} | ${p.measures} | ${p.rate.successes}/${p.rate.trials} = ${pct(p.rate.rate)} | ${pct(p.rate.ci95?.[0])} - ${pct(p.rate.ci95?.[1])} | ${p.focusProbe} | ${pct(p.meanFocusEffect)} | ${p.focusWindowMs === null ? '-' : `${p.focusWindowMs} ms x ${p.focusWindows?.[1]}`} | ${p.focusMedianPValue === null ? '-' : p.focusMedianPValue.toFixed(3)} | ${p.focusDetection.successes}/${p.focusDetection.trials} | ${fmtCounts(p.probeFailures)} | ${p.diverged ? `${p.diverged.successes}/${p.diverged.trials}` : '-'} | ${p.refusedRuns}${p.notInjected ? ` (${p.notInjected} trials unjudged)` : ''} |`),
    '',
    '## Targets',
    '',
    ...Object.entries(r.targets.byPairsPerVerdict).flatMap(([pairs, t]) => [
      `- judge.trials ${pairs}: false alarms <= ${pct(r.targets.falseAlarmsAtMost, 0)} (every null point): ${met(t.falseAlarmMet)}; detection of 20% of L4E dead >= ${pct(r.targets.detectionDead20AtLeast, 0)}: ${met(t.detectionDead20Met)}.`,
    ]),
    '',
    '## Smallest effect detected with 80% power',
    '',
    ...Object.entries(r.smallestDetectedWith80Power).map(([f, s]) =>
      s ? `- ${f}: ${s.id} (grade ${s.grade}; mean focus-probe effect ${pct(s.meanFocusEffect)}), detected in ${pct(s.rate)} of trials${s.lowerBoundMeetsPower ? ', the 95% interval above 80%' : ' (the 95% interval reaches below 80%)'}.` : `- ${f}: no grade reached 80% detection.`,
    ),
    '',
    '## Pooled verdicts',
    '',
    "The engine's own verdict of each batched run (every trial of the run pooled into one experiment, as a user running that batch would get it). It also reads the steady-state bands and recovery, which this benchmark does not set up to pass (one monitor interval of recovery): only its failing probes compare with the rows above.",
    '',
    ...r.points.filter((p) => p.pairsPerVerdict === r.config.pairsPerVerdict[0]).map((p) => `- ${p.id}: ${p.pooledRuns.map((x) => `${x.outcome}${x.failingProbes.length ? ` (probes ${x.failingProbes.join(', ')})` : x.outcome === 'fail' ? ` (no probe failed: ${x.reasons.join('; ')})` : ''}`).join('; ')}`),
    '',
  ];
  return lines.join('\n');
}
