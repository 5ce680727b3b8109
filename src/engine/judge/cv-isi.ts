import { compareWindows } from './compare.js';
import { noData } from './rate.js';
import type { JudgeSide, MetricInputs, MetricResult, PopulationRef } from './probe-types.js';
import { probePopulations, spikeWindow, shorterThanWindow } from './windows.js';

/** Fewest 1 ms bins a CV window has: an interval needs two spikes of one neuron. */
export const MIN_CV_ISI_BINS = 50;

/**
 * Pooled coefficient of variation of inter-spike intervals per window: the
 * intervals of the populations' neurons whose second spike falls in the
 * window, pooled over the replicas (the first spike may lie before it). About
 * 1 for Poisson-like firing, near 0 for clock-like firing (Softky & Koch 1993).
 * A window with fewer than 2 intervals gives NaN.
 * @param windowSteps window length in steps; windows start at `fromStep`
 */
export function pooledCvIsi(trains: readonly Int32Array[], pops: readonly PopulationRef[], fromStep: number, windowSteps: number, count: number): number[] {
  const sum = new Float64Array(count);
  const sq = new Float64Array(count);
  const n = new Float64Array(count);
  const inPop = (i: number) => pops.some((p) => i >= p.start && i < p.start + p.size);
  for (const pairs of trains) {
    const last = new Map<number, number>();
    for (let k = 0; k < pairs.length; k += 2) {
      const step = pairs[k];
      const i = pairs[k + 1];
      if (!inPop(i)) continue;
      const prev = last.get(i);
      last.set(i, step);
      if (prev === undefined || step < fromStep) continue;
      const w = Math.floor((step - fromStep) / windowSteps);
      if (w >= count) continue;
      const isi = step - prev;
      sum[w] += isi;
      sq[w] += isi * isi;
      n[w]++;
    }
  }
  return Array.from({ length: count }, (_, w) => {
    if (n[w] < 2) return Number.NaN;
    const mean = sum[w] / n[w];
    return mean > 0 ? Math.sqrt(Math.max(0, sq[w] / n[w] - mean * mean)) / mean : Number.NaN;
  });
}

/**
 * cv-isi probe: pooled CV of inter-spike intervals per window (windows of at
 * least `MIN_CV_ISI_BINS` bins holding `minExpectedSpikes` expected spikes);
 * windows with fewer than 2 intervals are left out.
 */
export function judgeCvIsi(m: MetricInputs): MetricResult {
  if (!m.control.spikes || !m.treated.spikes) return noData('no spike record to read intervals from');
  const pops = probePopulations(m.populations, m.probe.population);
  const w = spikeWindow(m.control, m.treated, pops, m.minExpectedSpikes, MIN_CV_ISI_BINS);
  if (w === null) return noData(`${m.probe.population ?? 'the network'} is silent in the control`);
  const short = shorterThanWindow(m.control, m.treated, w.bins);
  if (short) return { ...noData(short), windowBins: w.bins, expectedSpikesPerWindow: w.expected };
  const cvs = (side: JudgeSide) => {
    const count = Math.floor((side.bins[1] - side.bins[0]) / w.bins);
    if (count <= 0) return [];
    return pooledCvIsi(side.replicas.map((r) => side.spikes!(r)), pops, side.bins[0] * m.binSteps, w.bins * m.binSteps, count).filter((x) => Number.isFinite(x));
  };
  const cw = cvs(m.control);
  const tw = cvs(m.treated);
  const cmp = compareWindows(cw, tw, { minEffect: m.probe.tolerance, alpha: m.alpha, seedKey: `${m.seedKey}:${m.probe.id}:${m.when}` });
  return { ...cmp, windowBins: w.bins, controlWindows: cw.length, treatedWindows: tw.length, controlValues: cw, treatedValues: tw, expectedSpikesPerWindow: w.expected };
}
