import { isWallClockMetric, type ProbeWhen, type ResolvedProbe } from '../probe-schema.js';
import { judgeActiveFraction } from './active-fraction.js';
import { judgeCvIsi } from './cv-isi.js';
import { holdFamilyWiseError } from './family-wise.js';
import { judgeNonFinite } from './non-finite.js';
import type { JudgeSide, MetricInputs, MetricResult, ProbeVerdict } from './probe-types.js';
import { judgeRate, noData } from './rate.js';
import { judgeSpikeDistance } from './spike-distance.js';
import { judgeSynchrony } from './synchrony.js';

export type { BinnedActivity, JudgeSide, ProbeVerdict } from './probe-types.js';
export { windowBins } from './windows.js';

/** The judge's settings and verdicts for one experiment (the journal's `judge` section). */
export interface JudgeReport {
  /** What the treated windows are compared against: the same replicas before injection, or unfaulted control replicas over the same span. */
  controls: 'baseline' | 'replicas';
  /** The scenario's tolerance (a probe may declare its own). */
  minEffect: number;
  alpha: number;
  minExpectedSpikes: number;
  /** Simulated ms spans compared while the fault acted (the `during` spans): control and treated. */
  controlSpanMs: [number, number];
  treatedSpanMs: [number, number];
  /** One verdict per probe and `when` (wall-clock probes are not here: they are advisory, in `performanceImpact`). */
  probes: ProbeVerdict[];
}

/** What the judge reads for one experiment: every probe with its spans, and what each metric's judge shares (MetricInputs). */
export interface JudgeInputs extends Omit<MetricInputs, 'probe' | 'when' | 'control' | 'treated'> {
  /** The probes to judge (see resolveProbes); wall-clock and task-accuracy probes are skipped here. */
  probes: readonly ResolvedProbe[];
  /** Control and treated sides of each `when` (absent or null: that part of the experiment did not happen: no data). */
  spans: Partial<Record<ProbeWhen, { control: JudgeSide; treated: JudgeSide } | null>>;
}

const JUDGES: Record<string, (m: MetricInputs) => MetricResult> = {
  rate: judgeRate,
  synchrony: judgeSynchrony,
  'cv-isi': judgeCvIsi,
  'non-finite': judgeNonFinite,
  'spike-distance': judgeSpikeDistance,
  'active-fraction': judgeActiveFraction,
};

/** Whether the judge of simulated data runs this probe here (task-accuracy runs its own presentations: see task-probe.ts). */
export const judgedOnActivity = (p: ResolvedProbe) => !isWallClockMetric(p.metric) && p.metric !== 'task-accuracy';

/**
 * The judge (Kayenta's canary judge and Netflix ChAP as anchors): each
 * probe at each of its `when`s, treated against control windows long enough
 * to hold `minExpectedSpikes` expected spikes at the control's rate, with a
 * seeded permutation test and a minimum effect (the probe's tolerance; see
 * compareWindows), the p-values then adjusted by Holm's method over all of
 * the experiment's tests (holdFamilyWiseError). Metrics: rate, synchrony
 * (Fano factor of 1 ms counts), cv-isi, non-finite state, spike-distance
 * (van Rossum to the paired control), active-fraction (neurons silenced,
 * McNemar against the paired control).
 */
export function judgeProbes(i: JudgeInputs): ProbeVerdict[] {
  const binMs = i.binSteps * i.dtMs;
  const out: ProbeVerdict[] = [];
  for (const probe of i.probes.filter(judgedOnActivity)) {
    for (const when of probe.when) {
      const span = i.spans[when] ?? null;
      const r = span
        ? JUDGES[probe.metric]({ probe, when, control: span.control, treated: span.treated, populations: i.populations, binSteps: i.binSteps, dtMs: i.dtMs, pairs: i.pairs, pairingBins: i.pairingBins, alpha: i.alpha, minExpectedSpikes: i.minExpectedSpikes, seedKey: i.seedKey })
        : noData(`the experiment has no ${when} span (it ended before, or nothing was injected)`);
      const ms = (b: [number, number] | undefined): [number, number] => (b ? [b[0] * binMs, b[1] * binMs] : [0, 0]);
      const { windowBins, ...rest } = r;
      out.push({
        id: probe.id,
        metric: probe.metric,
        ...(probe.population !== undefined ? { population: probe.population } : {}),
        when,
        tolerance: probe.tolerance,
        controlSpanMs: ms(span?.control.bins),
        treatedSpanMs: ms(span?.treated.bins),
        windowMs: windowBins === null ? null : windowBins * binMs,
        ...rest,
      });
    }
  }
  // One family per experiment: a false alarm anywhere is a false alarm of the experiment (docs/verdicts.md).
  return holdFamilyWiseError(out, i.alpha);
}
