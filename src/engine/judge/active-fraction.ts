import { binomialDistribution } from 'simple-statistics';
import { StreamRng } from '../../util/rng.js';
import { noData } from './rate.js';
import { firstPairAtOrAfter } from './spike-pairs.js';
import type { MetricInputs, MetricResult, PopulationRef } from './probe-types.js';
import { probePopulations } from './windows.js';

/**
 * Spikes a neuron must be expected to fire in the judged span, at its own
 * baseline rate, to count as reliably active: a neuron firing as a Poisson
 * process at that rate stays silent over the span with probability
 * exp(-5) = 0.7%, so silence is a finding, not chance.
 */
export const MIN_EXPECTED_SPIKES_PER_NEURON = 5;

/** Spike counts per neuron (absolute neuron ids, only those `inPops` takes) in steps [from, to), from (step, neuron) pairs in ascending step order. */
function countsIn(pairs: Int32Array, inPops: (neuron: number) => boolean, from: number, to: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let k = 2 * firstPairAtOrAfter(pairs, from); k < pairs.length; k += 2) {
    if (pairs[k] >= to) break;
    const i = pairs[k + 1];
    if (inPops(i)) out.set(i, (out.get(i) ?? 0) + 1);
  }
  return out;
}

/**
 * Exact two-sided McNemar test (McNemar 1947; the exact form is the binomial
 * test of the discordant pairs against 1/2): the probability, with
 * `b + c` discordant neurons each equally likely to fall either way, of a
 * split at least as uneven as (b, c). Binomial probabilities from
 * simple-statistics' binomialDistribution.
 */
export function exactMcNemarP(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const pmf = binomialDistribution(n, 0.5);
  if (!pmf) throw new RangeError(`exactMcNemarP: ${n} discordant pairs are beyond the binomial table`);
  let tail = 0;
  for (let x = 0; x <= Math.min(b, c); x++) tail += pmf[x];
  return Math.min(1, 2 * tail);
}

/** One paired neuron: whether it fired in the control's span and in the treated's. */
interface PairedNeuron {
  control: boolean;
  treated: boolean;
}

/** Percentile bootstrap 95% interval (seeded) of the relative change of active neurons, neurons resampled. */
function bootstrapCi95(neurons: readonly PairedNeuron[], seedKey: string, resamples = 2000): [number, number] {
  const rng = new StreamRng(seedKey);
  const effects: number[] = [];
  for (let r = 0; r < resamples; r++) {
    let c = 0;
    let t = 0;
    for (let k = 0; k < neurons.length; k++) {
      const n = neurons[rng.below(neurons.length)];
      c += n.control ? 1 : 0;
      t += n.treated ? 1 : 0;
    }
    if (c > 0) effects.push((t - c) / c);
  }
  effects.sort((a, b) => a - b);
  if (!effects.length) return [0, 0];
  return [effects[Math.floor(0.025 * effects.length)], effects[Math.min(effects.length - 1, Math.ceil(0.975 * effects.length) - 1)]];
}

/**
 * Active-fraction probe: of the neurons that fire reliably in the baseline
 * before injection (expected to fire at least MIN_EXPECTED_SPIKES_PER_NEURON
 * spikes in the judged span at their baseline rate; the baseline is
 * bit-identical in a control and its treated twin, so the choice favours
 * neither), the fraction that fire at least once in the span. Control neuron
 * i of pair k is compared with treated neuron i of pair k: the exact
 * McNemar test of the neurons active in one and silent in the other, and the
 * relative change of active neurons with a bootstrap 95% interval. It finds
 * dead or silenced neurons that a population rate hides when the survivors
 * fire more (20% of L4E dead lower L4E's rate by about 10% in the
 * microcircuit; docs/verdict-power.md). Needs paired controls and the
 * replicas' spike trains; no-data otherwise.
 */
export function judgeActiveFraction(m: MetricInputs): MetricResult {
  const name = m.probe.population ?? 'the network';
  if (!m.pairs.length || !m.pairingBins) return noData('active-fraction compares each neuron with its paired control: it needs judge.controls paired');
  if (!m.control.spikes || !m.treated.spikes) return noData('no spike trains were kept for the replicas');
  const pops = probePopulations(m.populations, m.probe.population);
  const inPops = (i: number) => pops.some((p: PopulationRef) => i >= p.start && i < p.start + p.size);
  const [b0, b1] = m.pairingBins;
  const spanBins = (m.control.bins[1] - m.control.bins[0] + m.treated.bins[1] - m.treated.bins[0]) / 2;
  if (b1 <= b0) return noData('there is no baseline before injection to find the reliably active neurons in');
  if (spanBins <= 0) return noData('the span is empty');
  const expectedPerBaselineSpike = spanBins / (b1 - b0);
  const step = (bin: number) => bin * m.binSteps;
  const neurons: PairedNeuron[] = [];
  const perPair: [number, number][] = [];
  for (const [c, t] of m.pairs) {
    const base = countsIn(m.control.spikes(c), inPops, step(b0), step(b1));
    const cc = countsIn(m.control.spikes(c), inPops, step(m.control.bins[0]), step(m.control.bins[1]));
    const tc = countsIn(m.treated.spikes(t), inPops, step(m.treated.bins[0]), step(m.treated.bins[1]));
    let activeC = 0;
    let activeT = 0;
    let reliable = 0;
    for (const [i, n] of base) {
      if (n * expectedPerBaselineSpike < MIN_EXPECTED_SPIKES_PER_NEURON) continue;
      const p = { control: (cc.get(i) ?? 0) > 0, treated: (tc.get(i) ?? 0) > 0 };
      neurons.push(p);
      reliable++;
      activeC += p.control ? 1 : 0;
      activeT += p.treated ? 1 : 0;
    }
    if (reliable) perPair.push([activeC / reliable, activeT / reliable]);
  }
  if (!neurons.length) {
    return noData(`no neuron of ${name} fires reliably in the ${b1 - b0} ms baseline (expected >= ${MIN_EXPECTED_SPIKES_PER_NEURON} spikes in the ${spanBins} ms span): lengthen the baseline or the span`);
  }
  let activeC = 0;
  let activeT = 0;
  let silenced = 0;
  let woken = 0;
  for (const n of neurons) {
    activeC += n.control ? 1 : 0;
    activeT += n.treated ? 1 : 0;
    if (n.control && !n.treated) silenced++;
    if (!n.control && n.treated) woken++;
  }
  const result = (r: Omit<MetricResult, 'windowBins' | 'controlWindows' | 'treatedWindows' | 'controlValues' | 'treatedValues' | 'expectedSpikesPerWindow'>): MetricResult => ({
    ...r,
    windowBins: null,
    controlWindows: perPair.length,
    treatedWindows: perPair.length,
    controlValues: perPair.map((p) => p[0]),
    treatedValues: perPair.map((p) => p[1]),
    expectedSpikesPerWindow: null,
  });
  const fraction = (x: number) => x / neurons.length;
  if (activeC === 0) return result({ outcome: 'no-data', controlMean: 0, treatedMean: fraction(activeT), effect: null, effectCi95: null, pValue: null, reason: `no reliably active neuron of ${name} fired in the control's span` });
  const effect = (activeT - activeC) / activeC;
  const pValue = exactMcNemarP(silenced, woken);
  const effectCi95 = bootstrapCi95(neurons, `${m.seedKey}:${m.probe.id}:${m.when}:bootstrap`);
  const significant = pValue < m.alpha;
  const large = Math.abs(effect) >= m.probe.tolerance;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const counts = `of ${neurons.length} reliably active neurons, ${silenced} fell silent and ${woken} fired only in the treated`;
  const reason = significant && large
    ? `active neurons changed by ${pct(effect)} (95% CI ${pct(effectCi95[0])} to ${pct(effectCi95[1])}; ${counts}), McNemar p = ${pValue.toPrecision(3)} < ${m.alpha}, beyond the ${pct(m.probe.tolerance)} tolerance`
    : significant
      ? `active neurons changed by ${pct(effect)} (${counts}; p = ${pValue.toPrecision(3)}), within the ${pct(m.probe.tolerance)} tolerance`
      : `no significant change of active neurons (${pct(effect)}; ${counts}; p = ${pValue.toPrecision(3)})`;
  return result({ outcome: significant && large ? 'fail' : 'pass', controlMean: fraction(activeC), treatedMean: fraction(activeT), effect, effectCi95, pValue, reason });
}
