import type { MetricSample } from '../metrics.js';
import type { ProbeWhen } from '../probe-schema.js';

/** Where an experiment's parts lie, in 1 ms activity bins. */
export interface SpanMarks {
  /** First bin of the baseline. */
  baselineFromBin: number;
  injectedBin: number;
  /** Bin at which the fault stopped acting (null: it acted to the end). */
  faultEndBin: number | null;
  /** End of the observation window, and of the last sample taken (the recovery's end). */
  observationEndBin: number;
  lastBin: number;
}

export interface SpanPair {
  control: [number, number];
  treated: [number, number];
}

/**
 * The bins each `when` compares. With paired controls, control and treated
 * read the same span (the control replicas there); with the baseline as
 * control, `before` compares the baseline's first half against its second
 * half (is the column stationary before injection?) and the others compare
 * their span against the whole baseline. `during`: injection to the fault's
 * end (or the observation's end); `after`: the fault's end to the last
 * sample; `continuous`: injection to the last sample. A span that is empty is null.
 */
export function probeSpanBins(k: SpanMarks, paired: boolean): Record<ProbeWhen, SpanPair | null> {
  const baseline: [number, number] = [k.baselineFromBin, k.injectedBin];
  const duringEnd = Math.min(k.observationEndBin, k.faultEndBin ?? k.observationEndBin);
  const afterFrom = k.faultEndBin ?? k.observationEndBin;
  const spans: Record<ProbeWhen, [number, number]> = {
    before: baseline,
    during: [k.injectedBin, duringEnd],
    after: [afterFrom, k.lastBin],
    continuous: [k.injectedBin, k.lastBin],
  };
  const out = {} as Record<ProbeWhen, SpanPair | null>;
  for (const when of Object.keys(spans) as ProbeWhen[]) {
    const t = spans[when];
    if (t[1] <= t[0]) {
      out[when] = null;
      continue;
    }
    if (paired) out[when] = { control: t, treated: t };
    else if (when === 'before') {
      const mid = Math.floor((baseline[0] + baseline[1]) / 2);
      out[when] = mid > baseline[0] ? { control: [baseline[0], mid], treated: [mid, baseline[1]] } : null;
    } else out[when] = { control: baseline, treated: t };
  }
  return out;
}

/** Samples whose interval [tMs - intervalMs, tMs] overlaps the span [fromMs, toMs). */
export function samplesIn(samples: readonly MetricSample[], fromMs: number, toMs: number, intervalMs: number): MetricSample[] {
  return samples.filter((s) => s.tMs > fromMs && s.tMs - intervalMs < toMs);
}
