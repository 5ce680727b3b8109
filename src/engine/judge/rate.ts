import { compareWindows } from './compare.js';
import type { JudgeSide, MetricInputs, MetricResult } from './probe-types.js';
import { probePopulations, spikeWindow, spikesIn, windows, shorterThanWindow } from './windows.js';

/** An empty result: no window, with the reason (a probe without data neither passes nor fails). */
export function noData(reason: string): MetricResult {
  return { outcome: 'no-data', controlMean: null, treatedMean: null, effect: null, effectCi95: null, pValue: null, reason, windowBins: null, controlWindows: 0, treatedWindows: 0, controlValues: [], treatedValues: [], expectedSpikesPerWindow: null };
}

/**
 * Rate probe: the population's (or the network's) firing rate in Hz per
 * window, treated against control windows long enough to hold
 * `minExpectedSpikes` expected spikes at the control's rate; the relative
 * change fails it when significant and beyond the probe's tolerance.
 */
export function judgeRate(m: MetricInputs): MetricResult {
  const pops = probePopulations(m.populations, m.probe.population);
  const idx = pops.map((p) => p.index);
  const neurons = pops.reduce((s, p) => s + p.size, 0);
  const w = spikeWindow(m.control, m.treated, pops, m.minExpectedSpikes);
  const name = m.probe.population ?? 'the network';
  if (w === null) return noData(`${name} is silent in the control: no window holds ${m.minExpectedSpikes} expected spikes`);
  const short = shorterThanWindow(m.control, m.treated, w.bins);
  if (short) return { ...noData(short), windowBins: w.bins, expectedSpikesPerWindow: w.expected };
  const rate = (side: JudgeSide) => (a: number, b: number) => (spikesIn(side.activity, side.replicas, idx, a, b) * 1000) / (neurons * side.replicas.length * (b - a));
  const cw = windows(m.control.bins[0], m.control.bins[1], w.bins, rate(m.control));
  const tw = windows(m.treated.bins[0], m.treated.bins[1], w.bins, rate(m.treated));
  const cmp = compareWindows(cw, tw, { minEffect: m.probe.tolerance, alpha: m.alpha, seedKey: `${m.seedKey}:${m.probe.id}:${m.when}` });
  return { ...cmp, windowBins: w.bins, controlWindows: cw.length, treatedWindows: tw.length, controlValues: cw, treatedValues: tw, expectedSpikesPerWindow: w.expected };
}
