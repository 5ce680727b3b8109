import padjust from '@stdlib/stats-padjust';
import type { ProbeVerdict } from './probe-types.js';

/**
 * Holm's step-down adjustment (Holm 1979, "A simple sequentially rejective
 * multiple test procedure") of the p-values that exist, in their order;
 * null stays null (a probe with no test). Computed by @stdlib/stats-padjust.
 */
export function holmAdjust(pValues: readonly (number | null)[]): (number | null)[] {
  // A p-value that is not a number in [0, 1] is no test (and @stdlib/stats-padjust would throw on it).
  const isP = (p: number | null): p is number => p !== null && Number.isFinite(p) && p >= 0 && p <= 1;
  const tested = pValues.filter(isP);
  if (!tested.length) return pValues.map(() => null);
  const adjusted = padjust([...tested], 'holm');
  let k = 0;
  return pValues.map((p) => (isP(p) ? adjusted[k++] : null));
}

/** A p-value for a reason: three significant digits, or "< 0.0001" below that (a permutation p-value can be 0). */
export function formatP(p: number): string {
  return p < 0.0001 ? '< 0.0001' : `= ${p.toPrecision(3)}`;
}

/**
 * An experiment's probe verdicts with the family-wise error held at alpha:
 * every tested probe and `when` of one experiment is one hypothesis of one
 * family, so that an experiment fails by chance (a false alarm) with
 * probability at most alpha however many probes it declares (Holm 1979).
 * A probe fails only when its Holm-adjusted p-value is below alpha *and* its
 * effect is beyond its tolerance; a probe that failed on its own p-value but
 * not on the adjusted one passes, with the reason saying so.
 */
export function holdFamilyWiseError(verdicts: readonly ProbeVerdict[], alpha: number): ProbeVerdict[] {
  const adjusted = holmAdjust(verdicts.map((v) => v.pValue));
  const tests = adjusted.filter((p) => p !== null).length;
  return verdicts.map((v, k) => {
    const pAdjusted = adjusted[k];
    if (pAdjusted === null) return { ...v, pAdjusted: null };
    const holm = `Holm-adjusted p ${formatP(pAdjusted)} over the experiment's ${tests} ${tests === 1 ? 'test' : 'tests'}`;
    if (v.outcome !== 'fail') return { ...v, pAdjusted };
    if (pAdjusted < alpha) return { ...v, pAdjusted, reason: `${v.reason} (${holm})` };
    // Demoted: the corrected result first, then what the probe alone said.
    return { ...v, pAdjusted, outcome: 'pass', reason: `not significant once corrected for multiple tests (${holm}, not below ${alpha}); alone: ${v.reason}` };
  });
}
