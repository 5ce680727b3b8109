import { StreamRng } from '../../util/rng.js';
import { noData } from './rate.js';
import { firstPairAtOrAfter } from './spike-pairs.js';
import type { MetricInputs, MetricResult, PopulationRef } from './probe-types.js';
import { probePopulations, spikeWindow } from './windows.js';

/**
 * Squared van Rossum distance between two spike trains (times in ms, any
 * order), after van Rossum, "A novel spike distance", Neural Computation
 * 13(4):751-763, 2001: each spike becomes a causal exponential
 * exp(-t / tau) and D^2 = (1 / tau) * integral of the squared difference,
 * in closed form D^2 = (1/2) [sum_ij K(a_i - a_j) + sum_ij K(b_i - b_j)
 * - 2 sum_ij K(a_i - b_j)] with K(x) = exp(-|x| / tau). 0 for identical
 * trains; (n_a + n_b) / 2 for trains whose spikes lie far apart.
 */
export function vanRossumSquared(a: readonly number[], b: readonly number[], tauMs: number): number {
  const k = (xs: readonly number[], ys: readonly number[]) => {
    let s = 0;
    for (const x of xs) for (const y of ys) s += Math.exp(-Math.abs(x - y) / tauMs);
    return s;
  };
  return Math.max(0, 0.5 * (k(a, a) + k(b, b) - 2 * k(a, b)));
}

/** Spike times (ms) per neuron of `pops` in steps [from, to), from (step, neuron) pairs in ascending step order. */
function trainsOf(pairs: Int32Array, pops: readonly PopulationRef[], from: number, to: number, dtMs: number): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (let k = 2 * firstPairAtOrAfter(pairs, from); k < pairs.length; k += 2) {
    const step = pairs[k];
    if (step >= to) break;
    const i = pairs[k + 1];
    if (!pops.some((p) => i >= p.start && i < p.start + p.size)) continue;
    const list = out.get(i);
    if (list) list.push(step * dtMs);
    else out.set(i, [step * dtMs]);
  }
  return out;
}

/**
 * Normalised van Rossum distance between two replicas over steps [from, to):
 * the sum over neurons of D^2 divided by the sum of (n_a + n_b) / 2, so 0 is
 * identical timing and about 1 is timing unrelated at the same rates
 * (independent or far-apart spikes); null when neither fired.
 */
export function normalisedSpikeDistance(a: Int32Array, b: Int32Array, pops: readonly PopulationRef[], from: number, to: number, dtMs: number, tauMs: number): number | null {
  const ta = trainsOf(a, pops, from, to, dtMs);
  const tb = trainsOf(b, pops, from, to, dtMs);
  let d2 = 0;
  let norm = 0;
  for (const i of new Set([...ta.keys(), ...tb.keys()])) {
    const x = ta.get(i) ?? [];
    const y = tb.get(i) ?? [];
    d2 += vanRossumSquared(x, y, tauMs);
    norm += (x.length + y.length) / 2;
  }
  return norm > 0 ? d2 / norm : null;
}

/** Fewest windows whose bootstrap can bound the mean distance. */
const MIN_WINDOWS = 3;
const RESAMPLES = 2000;

/**
 * spike-distance probe: the normalised van Rossum distance of each treated
 * replica to its paired control (same seed and noise stream, only the fault
 * differs), per window (windows of at least 5 tau holding
 * `minExpectedSpikes` expected spikes), averaged over the pairs. It fails
 * when the mean distance is above the probe's tolerance (an absolute bound)
 * and a seeded bootstrap says so at `alpha` (the share of resampled means at
 * or below the bound is the p-value). No data without paired replicas, or
 * when the pairs' spikes already differ before injection (they are not paired).
 */
export function judgeSpikeDistance(m: MetricInputs): MetricResult {
  const tau = m.probe.tauMs ?? 10;
  if (!m.pairs.length) return noData('spike-distance needs paired control replicas (judge.controls: paired); the control here is the baseline');
  if (!m.control.spikes || !m.treated.spikes) return noData('no spike record to compare');
  const pops = probePopulations(m.populations, m.probe.population);
  const steps = (bin: number) => bin * m.binSteps;
  if (m.pairingBins && m.pairingBins[1] > m.pairingBins[0]) {
    const [a, b] = m.pairingBins;
    const unpaired = m.pairs.find(([c, t]) => (normalisedSpikeDistance(m.control.spikes!(c), m.treated.spikes!(t), pops, steps(a), steps(b), m.dtMs, tau) ?? 0) > 0);
    if (unpaired) return noData(`replicas ${unpaired[0]} (control) and ${unpaired[1]} (treated) already differ before injection: they are not paired`);
  }
  const w = spikeWindow(m.control, m.treated, pops, m.minExpectedSpikes, Math.ceil(5 * tau));
  if (w === null) return noData(`${m.probe.population ?? 'the network'} is silent in the control`);
  const [t0, t1] = m.treated.bins;
  const values: number[] = [];
  for (let a = t0; a + w.bins <= t1; a += w.bins) {
    const ds = m.pairs.map(([c, t]) => normalisedSpikeDistance(m.control.spikes!(c), m.treated.spikes!(t), pops, steps(a), steps(a + w.bins), m.dtMs, tau)).filter((d): d is number => d !== null);
    if (ds.length) values.push(ds.reduce((s, d) => s + d, 0) / ds.length);
  }
  const base = { windowBins: w.bins, controlWindows: 0, treatedWindows: values.length, controlValues: [] as number[], treatedValues: values, expectedSpikesPerWindow: w.expected };
  if (values.length < MIN_WINDOWS) return { ...noData(`${values.length} windows of ${w.bins} ms: a bound needs ${MIN_WINDOWS}`), ...base };
  const mean = values.reduce((s, x) => s + x, 0) / values.length;
  const rng = new StreamRng(`${m.seedKey}:${m.probe.id}:${m.when}:bootstrap`);
  const means: number[] = [];
  for (let r = 0; r < RESAMPLES; r++) {
    let s = 0;
    for (let k = 0; k < values.length; k++) s += values[rng.below(values.length)];
    means.push(s / values.length);
  }
  means.sort((x, y) => x - y);
  const ci: [number, number] = [means[Math.floor(0.025 * RESAMPLES)], means[Math.ceil(0.975 * RESAMPLES) - 1]];
  const pValue = means.filter((x) => x <= m.probe.tolerance).length / RESAMPLES;
  const fail = mean > m.probe.tolerance && pValue < m.alpha;
  const f = (x: number) => x.toFixed(3);
  const reason = fail
    ? `spike timing diverged from the paired control: normalised van Rossum distance ${f(mean)} (95% CI ${f(ci[0])} to ${f(ci[1])}, tau ${tau} ms) above the bound ${m.probe.tolerance}, p = ${pValue.toFixed(4)}`
    : `normalised van Rossum distance ${f(mean)} (95% CI ${f(ci[0])} to ${f(ci[1])}, tau ${tau} ms), not above the bound ${m.probe.tolerance} at p < ${m.alpha}`;
  return { ...base, outcome: fail ? 'fail' : 'pass', controlMean: 0, treatedMean: mean, effect: mean, effectCi95: ci, pValue, reason };
}
