import type { MetricSample } from '../metrics.js';
import type { MetricInputs, MetricResult } from './probe-types.js';

/**
 * Non-finite probe: fails when any treated sample holds more non-finite
 * membrane or current values than the most any control sample held (no
 * test needed: a healthy simulation holds none); no-data without a treated sample.
 */
export function judgeNonFinite(m: MetricInputs): MetricResult {
  const most = (xs: readonly MetricSample[]) => xs.reduce((a, s) => Math.max(a, s.nonFinite), 0);
  const cn = most(m.control.samples);
  const tn = most(m.treated.samples);
  const outcome = !m.treated.samples.length ? 'no-data' : tn > cn ? 'fail' : 'pass';
  return {
    outcome,
    controlMean: cn,
    treatedMean: tn,
    effect: null,
    effectCi95: null,
    pValue: null,
    reason: outcome === 'no-data' ? 'no treated sample' : outcome === 'fail' ? `${tn} non-finite state values in a treated sample (control: ${cn})` : `no more non-finite values than the control (${cn})`,
    windowBins: null,
    controlWindows: m.control.samples.length,
    treatedWindows: m.treated.samples.length,
    controlValues: m.control.samples.map((s) => s.nonFinite),
    treatedValues: m.treated.samples.map((s) => s.nonFinite),
    expectedSpikesPerWindow: null,
  };
}
