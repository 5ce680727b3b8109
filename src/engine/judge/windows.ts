import type { BinnedActivity, JudgeSide, PopulationRef } from './probe-types.js';

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
export function windows(from: number, to: number, w: number, f: (a: number, b: number) => number): number[] {
  const out: number[] = [];
  for (let a = from; a + w <= to; a += w) out.push(f(a, a + w));
  return out;
}

/** Spikes of populations `pops` of `replicas` in bins [a, b). */
export function spikesIn(act: BinnedActivity, replicas: readonly number[], pops: readonly number[], a: number, b: number): number {
  let n = 0;
  for (let bin = a; bin < b; bin++) for (const r of replicas) for (const p of pops) n += act.at(bin, r, p);
  return n;
}

/** The populations a probe reads: the named one, or all of them (the whole network). */
export function probePopulations(all: readonly PopulationRef[], name: string | undefined): PopulationRef[] {
  return name === undefined ? [...all] : all.filter((p) => p.name === name);
}

/** Mean rate (Hz) of populations `pops` over a side's span and replicas; 0 for an empty span. */
export function sideRateHz(side: JudgeSide, pops: readonly PopulationRef[]): number {
  const [a, b] = side.bins;
  const neurons = pops.reduce((s, p) => s + p.size, 0);
  if (b <= a || neurons === 0 || !side.replicas.length) return 0;
  return (spikesIn(side.activity, side.replicas, pops.map((p) => p.index), a, b) * 1000) / (neurons * side.replicas.length * (b - a));
}

/**
 * The window rule of the spike-count metrics: windows long enough to hold
 * `minSpikes` expected spikes of `pops` at the control's rate (summed over
 * the fewer replicas of the two sides), and at least `minBins` long.
 * @returns the window in bins and the spikes it expects (null: silent control)
 */
export function spikeWindow(control: JudgeSide, treated: JudgeSide, pops: readonly PopulationRef[], minSpikes: number, minBins = 1): { bins: number; expected: number } | null {
  const neurons = pops.reduce((s, p) => s + p.size, 0) * Math.min(control.replicas.length, treated.replicas.length);
  const rate = sideRateHz(control, pops);
  const w = windowBins(minSpikes, neurons, rate);
  if (w === null) return null;
  const bins = Math.max(minBins, w);
  return { bins, expected: (rate * neurons * bins) / 1000 };
}

/** No-data reason when either side's span is shorter than one window of `w` bins (1 ms each); null when both hold one. */
export function shorterThanWindow(control: JudgeSide, treated: JudgeSide, w: number): string | null {
  const short = [['control', control.bins], ['treated', treated.bins]].find(([, b]) => (b as [number, number])[1] - (b as [number, number])[0] < w);
  if (!short) return null;
  const b = short[1] as [number, number];
  return `the ${short[0]} span (${b[1] - b[0]} ms) is shorter than one ${w} ms window (lengthen it: a longer observation, recovery or holdMs)`;
}
