import type { MetricSample } from '../metrics.js';
import { compareWindows, type Comparison } from './compare.js';

/** Spike counts per 1 ms bin, replica and population (the experiment's ActivityLog). */
export interface BinnedActivity {
  /** Spikes of (replica, population) in 1 ms bin `bin`. */
  at(bin: number, replica: number, population: number): number;
}

/** One probe's verdict: which metric, over which windows, and the comparison. */
export interface ProbeVerdict extends Comparison {
  /** `rate.<population>`, `synchrony` or `non-finite`. */
  id: string;
  metric: 'rate' | 'synchrony' | 'non-finite';
  population?: string;
  /** Window length (simulated ms) and how many windows each side had. */
  windowMs: number | null;
  controlWindows: number;
  treatedWindows: number;
  /** The probe's value per window (control, treated), as tested. */
  controlValues: number[];
  treatedValues: number[];
  /** Spikes a window of this length holds at the control's rate (the rule asks for >= minExpectedSpikes). */
  expectedSpikesPerWindow: number | null;
}

/** The judge's settings and verdicts for one experiment (the journal's `judge` section). */
export interface JudgeReport {
  /** What the treated windows are compared against: the same replicas before injection, or unfaulted control replicas over the same span. */
  controls: 'baseline' | 'replicas';
  minEffect: number;
  alpha: number;
  minExpectedSpikes: number;
  /** Simulated ms spans compared: control and treated (fault active). */
  controlSpanMs: [number, number];
  treatedSpanMs: [number, number];
  probes: ProbeVerdict[];
}

export interface JudgeInputs {
  activity: BinnedActivity;
  /** Where the control replicas' spikes are binned, when not in `activity` (paired controls run as a separate backend). @defaultValue activity */
  controlActivity?: BinnedActivity;
  populations: readonly { name: string; index: number; size: number }[];
  dtMs: number;
  /** Replicas whose control span is read, and whose treated span is read. */
  controlReplicas: readonly number[];
  treatedReplicas: readonly number[];
  controls: JudgeReport['controls'];
  /** Bins (1 ms) [from, to) of each side. */
  controlBins: [number, number];
  treatedBins: [number, number];
  /** Monitor samples of the two spans (non-finite state), control first. */
  controlSamples: readonly MetricSample[];
  treatedSamples: readonly MetricSample[];
  minEffect: number;
  alpha: number;
  minExpectedSpikes: number;
  seedKey: string;
}

/**
 * Window length (whole 1 ms bins) holding at least `minSpikes` expected spikes
 * of a population of `neurons` (summed over the replicas read) firing at
 * `rateHz`: ceil(minSpikes / (neurons * rateHz / 1000)); null at rate 0.
 */
export function windowBins(minSpikes: number, neurons: number, rateHz: number): number | null {
  if (!(rateHz > 0) || neurons <= 0) return null;
  return Math.max(1, Math.ceil((minSpikes * 1000) / (neurons * rateHz)));
}

/** Consecutive whole windows of `w` bins in [from, to), each reduced by `f(binFrom, binTo)`; a partial last window is dropped. */
function windows(from: number, to: number, w: number, f: (a: number, b: number) => number): number[] {
  const out: number[] = [];
  for (let a = from; a + w <= to; a += w) out.push(f(a, a + w));
  return out;
}

function spikes(act: BinnedActivity, replicas: readonly number[], pops: readonly number[], a: number, b: number): number {
  let n = 0;
  for (let bin = a; bin < b; bin++) for (const r of replicas) for (const p of pops) n += act.at(bin, r, p);
  return n;
}

/** Fano factor of the network's spike count per 1 ms bin in [a, b), summed over the replicas (as the monitor's synchrony). */
function fano(act: BinnedActivity, replicas: readonly number[], pops: readonly number[], a: number, b: number): number {
  const xs: number[] = [];
  for (let bin = a; bin < b; bin++) xs.push(spikes(act, replicas, pops, bin, bin + 1));
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  if (m === 0) return 0;
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length / m;
}

/**
 * The judge (Kayenta's canary judge and Netflix ChAP as anchors): per probe,
 * treated against control windows long enough to hold `minExpectedSpikes`
 * expected spikes at the control's rate, with a seeded permutation test and a
 * minimum effect (compareWindows). Default probes: every population's rate,
 * the network's synchrony (Fano factor of 1 ms counts, windows of the whole
 * network, at least 20 bins), and non-finite state (fails when any treated
 * sample has non-finite values the control had not; no test needed).
 */
export function judgeProbes(i: JudgeInputs): ProbeVerdict[] {
  const out: ProbeVerdict[] = [];
  const [c0, c1] = i.controlBins;
  const [t0, t1] = i.treatedBins;
  const cReps = i.controlReplicas;
  const tReps = i.treatedReplicas;
  const cAct = i.controlActivity ?? i.activity;
  const controlRateHz = (pops: readonly number[], neurons: number) => (c1 > c0 ? (spikes(cAct, cReps, pops, c0, c1) * 1000) / (neurons * cReps.length * (c1 - c0)) : 0);
  for (const p of i.populations) {
    const base = controlRateHz([p.index], p.size);
    const w = windowBins(i.minExpectedSpikes, p.size * Math.min(cReps.length, tReps.length), base);
    const rate = (act: BinnedActivity, reps: readonly number[]) => (a: number, b: number) => (spikes(act, reps, [p.index], a, b) * 1000) / (p.size * reps.length * (b - a));
    const cw = w === null ? [] : windows(c0, c1, w, rate(cAct, cReps));
    const tw = w === null ? [] : windows(t0, t1, w, rate(i.activity, tReps));
    const cmp = w === null ? { ...compareWindows([], [], { minEffect: i.minEffect, alpha: i.alpha, seedKey: '' }), reason: `${p.name} is silent in the control: no window holds ${i.minExpectedSpikes} expected spikes` } : compareWindows(cw, tw, { minEffect: i.minEffect, alpha: i.alpha, seedKey: `${i.seedKey}:rate.${p.name}` });
    out.push({ id: `rate.${p.name}`, metric: 'rate', population: p.name, windowMs: w === null ? null : w, controlWindows: cw.length, treatedWindows: tw.length, controlValues: cw, treatedValues: tw, expectedSpikesPerWindow: w === null ? null : (base * p.size * Math.min(cReps.length, tReps.length) * w) / 1000, ...cmp });
  }
  const all = i.populations.map((p) => p.index);
  const neurons = i.populations.reduce((s, p) => s + p.size, 0);
  const baseAll = controlRateHz(all, neurons);
  const wAll = windowBins(i.minExpectedSpikes, neurons * Math.min(cReps.length, tReps.length), baseAll);
  const ws = wAll === null ? null : Math.max(20, wAll);
  const cs = ws === null ? [] : windows(c0, c1, ws, (a, b) => fano(cAct, cReps, all, a, b));
  const ts = ws === null ? [] : windows(t0, t1, ws, (a, b) => fano(i.activity, tReps, all, a, b));
  out.push({ id: 'synchrony', metric: 'synchrony', windowMs: ws, controlWindows: cs.length, treatedWindows: ts.length, controlValues: cs, treatedValues: ts, expectedSpikesPerWindow: ws === null ? null : (baseAll * neurons * Math.min(cReps.length, tReps.length) * ws) / 1000, ...compareWindows(cs, ts, { minEffect: i.minEffect, alpha: i.alpha, seedKey: `${i.seedKey}:synchrony` }) });
  const maxNonFinite = (xs: readonly MetricSample[]) => xs.reduce((m, s) => Math.max(m, s.nonFinite), 0);
  const cn = maxNonFinite(i.controlSamples);
  const tn = maxNonFinite(i.treatedSamples);
  const nfOutcome = !i.treatedSamples.length ? 'no-data' : tn > cn ? 'fail' : 'pass';
  out.push({
    id: 'non-finite',
    metric: 'non-finite',
    windowMs: null,
    controlWindows: i.controlSamples.length,
    treatedWindows: i.treatedSamples.length,
    controlValues: i.controlSamples.map((x) => x.nonFinite),
    treatedValues: i.treatedSamples.map((x) => x.nonFinite),
    expectedSpikesPerWindow: null,
    outcome: nfOutcome,
    controlMean: cn,
    treatedMean: tn,
    effect: null,
    effectCi95: null,
    pValue: null,
    reason: nfOutcome === 'no-data' ? 'no treated sample' : nfOutcome === 'fail' ? `${tn} non-finite state values in a treated sample (control: ${cn})` : `no more non-finite values than the control (${cn})`,
  });
  return out;
}
