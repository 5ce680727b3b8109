import { compareWindows } from './compare.js';
import { noData } from './rate.js';
import type { BinnedActivity, JudgeSide, MetricInputs, MetricResult } from './probe-types.js';
import { probePopulations, spikeWindow, spikesIn, windows, shorterThanWindow } from './windows.js';

/** Fewest 1 ms bins a synchrony window has: a Fano factor over fewer counts is mostly noise. */
export const MIN_SYNCHRONY_BINS = 20;

/** Fano factor (variance / mean) of the spike count per 1 ms bin in [a, b), summed over the replicas and populations (as the monitor's synchrony). */
export function fanoFactor(act: BinnedActivity, replicas: readonly number[], pops: readonly number[], a: number, b: number): number {
  const xs: number[] = [];
  for (let bin = a; bin < b; bin++) xs.push(spikesIn(act, replicas, pops, bin, bin + 1));
  const m = xs.reduce((s, x) => s + x, 0) / xs.length;
  if (m === 0) return 0;
  return xs.reduce((s, x) => s + (x - m) ** 2, 0) / xs.length / m;
}

/**
 * Synchrony probe: Fano factor of the population's (or the network's)
 * 1 ms spike counts per window (about 1 when asynchronous, far above when
 * synchronised), windows of at least `MIN_SYNCHRONY_BINS` bins holding
 * `minExpectedSpikes` expected spikes.
 */
export function judgeSynchrony(m: MetricInputs): MetricResult {
  const pops = probePopulations(m.populations, m.probe.population);
  const idx = pops.map((p) => p.index);
  const w = spikeWindow(m.control, m.treated, pops, m.minExpectedSpikes, MIN_SYNCHRONY_BINS);
  if (w === null) return noData(`${m.probe.population ?? 'the network'} is silent in the control`);
  const short = shorterThanWindow(m.control, m.treated, w.bins);
  if (short) return { ...noData(short), windowBins: w.bins, expectedSpikesPerWindow: w.expected };
  const fano = (side: JudgeSide) => (a: number, b: number) => fanoFactor(side.activity, side.replicas, idx, a, b);
  const cw = windows(m.control.bins[0], m.control.bins[1], w.bins, fano(m.control));
  const tw = windows(m.treated.bins[0], m.treated.bins[1], w.bins, fano(m.treated));
  const cmp = compareWindows(cw, tw, { minEffect: m.probe.tolerance, alpha: m.alpha, seedKey: `${m.seedKey}:${m.probe.id}:${m.when}` });
  return { ...cmp, windowBins: w.bins, controlWindows: cw.length, treatedWindows: tw.length, controlValues: cw, treatedValues: tw, expectedSpikesPerWindow: w.expected };
}
