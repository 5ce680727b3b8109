import type { MetricSample } from '../metrics.js';
import type { ProbeMetric, ProbeWhen, ResolvedProbe } from '../probe-schema.js';
import type { Comparison } from './compare.js';

/** Spike counts per 1 ms bin, replica and population (the experiment's ActivityLog). */
export interface BinnedActivity {
  /** Spikes of (replica, population) in 1 ms bin `bin`. */
  at(bin: number, replica: number, population: number): number;
}

/** One side of a comparison (control or treated): where its data lives and the span read. */
export interface JudgeSide {
  activity: BinnedActivity;
  /** Replicas read (summed or averaged over, as the metric says). */
  replicas: readonly number[];
  /** 1 ms bins [from, to) read. */
  bins: [number, number];
  /** Monitor samples inside the span (non-finite state). */
  samples: readonly MetricSample[];
  /** A replica's spikes as (step, neuron) pairs in ascending step order (cv-isi, spike-distance); absent: those metrics have no data. */
  spikes?: (replica: number) => Int32Array;
}

export interface PopulationRef {
  name: string;
  index: number;
  /** First neuron index. */
  start: number;
  size: number;
}

/** What a metric's judge reads for one probe at one `when`. */
export interface MetricInputs {
  probe: ResolvedProbe;
  when: ProbeWhen;
  control: JudgeSide;
  treated: JudgeSide;
  populations: readonly PopulationRef[];
  /** Simulation steps per 1 ms activity bin. */
  binSteps: number;
  dtMs: number;
  /**
   * Paired replicas (control, treated): the same seed, connectivity, state and noise stream,
   * only the fault differs (empty: the control is the baseline, spike-distance has no data).
   */
  pairs: readonly (readonly [number, number])[];
  /** Bins [from, to) before injection in which paired trains must be identical (the pairing check of spike-distance). */
  pairingBins: [number, number] | null;
  alpha: number;
  minExpectedSpikes: number;
  seedKey: string;
}

/** A metric's outcome for one probe at one `when`: the comparison, the windows and the values tested. */
export interface MetricResult extends Comparison {
  /** Window length in 1 ms bins (null: the metric is not windowed, or no window could hold the expected spikes). */
  windowBins: number | null;
  controlWindows: number;
  treatedWindows: number;
  /** The probe's value per window (control, treated), as tested. */
  controlValues: number[];
  treatedValues: number[];
  /** Spikes a window of this length holds at the control's rate (the rule asks for >= minExpectedSpikes; null: not spike-windowed). */
  expectedSpikesPerWindow: number | null;
}

/** One probe's verdict at one `when`: which probe and metric, over which spans and windows, and the comparison. */
export interface ProbeVerdict extends Comparison {
  /** The probe's id (`rate.<population>`, `synchrony`, `non-finite` for the default probes). */
  id: string;
  metric: ProbeMetric;
  population?: string;
  when: ProbeWhen;
  /** Smallest relative effect that fails it (spike-distance: the bound on the normalised distance). */
  tolerance: number;
  /** Simulated ms spans read, control and treated. */
  controlSpanMs: [number, number];
  treatedSpanMs: [number, number];
  /** Window length (simulated ms) and how many windows each side had. */
  windowMs: number | null;
  controlWindows: number;
  treatedWindows: number;
  controlValues: number[];
  treatedValues: number[];
  expectedSpikesPerWindow: number | null;
  /**
   * The p-value after Holm's adjustment over every tested probe and `when` of the experiment (the
   * verdict reads this one: see holdFamilyWiseError); null: not tested. Absent in journals before it existed.
   */
  pAdjusted?: number | null;
}
