import { mean, permutationTest } from 'simple-statistics';
import { formatP } from './family-wise.js';
import { StreamRng } from '../../util/rng.js';

/** How one probe compares treated windows against control windows. */
export interface Comparison {
  outcome: 'pass' | 'fail' | 'no-data';
  /** Mean of the probe per window, control and treated. */
  controlMean: number | null;
  treatedMean: number | null;
  /** Relative effect (treated - control) / |control| (null: no data or a zero control). */
  effect: number | null;
  /** Percentile bootstrap 95% interval of the effect (seeded). */
  effectCi95: [number, number] | null;
  /** Two-sided permutation test p-value of the difference of means (seeded; null: not tested). */
  pValue: number | null;
  /** Why: the rule that decided the outcome, in words. */
  reason: string;
}

export interface CompareOptions {
  /** Smallest relative effect that counts as a change (a significant but smaller one passes). */
  minEffect: number;
  /** Significance level of the permutation test. */
  alpha: number;
  /** Seed key of the permutation and bootstrap draws (a run replays exactly). */
  seedKey: string;
  /** Random permutations of the test. @defaultValue 10000 */
  permutations?: number;
  /** Bootstrap resamples of the effect interval. @defaultValue 2000 */
  resamples?: number;
}

/** log C(n, k): how many ways the pooled windows split into the two groups. */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/**
 * The smallest two-sided p-value a permutation test of `nc` against `nt`
 * windows can give: 2 / C(nc + nt, nt). Below alpha's reach the test could
 * never find a difference, so the probe has no data rather than a pass.
 */
export function smallestPValue(nc: number, nt: number): number {
  return Math.min(1, 2 * Math.exp(-logChoose(nc + nt, nt)));
}

/**
 * Treated against control windows: a seeded two-sided permutation test of
 * the difference of means (simple-statistics' permutationTest; p = (k + 1) /
 * (n + 1) over n permutations, never 0: Phipson & Smyth 2010, "Permutation
 * p-values should never be zero") and the
 * relative effect with a seeded percentile-bootstrap 95% interval. `fail`
 * only when the difference is significant (p < alpha) *and* at least
 * `minEffect` of the control mean (Kayenta's canary judge: significance and
 * a minimum effect); `no-data` when either side is empty, the control mean
 * is 0, or there are too few windows for p < alpha to be reachable.
 */
export function compareWindows(control: readonly number[], treated: readonly number[], o: CompareOptions): Comparison {
  const none = (reason: string): Comparison => ({ outcome: 'no-data', controlMean: control.length ? mean(control as number[]) : null, treatedMean: treated.length ? mean(treated as number[]) : null, effect: null, effectCi95: null, pValue: null, reason });
  if (!control.length || !treated.length) return none(`no ${control.length ? 'treated' : 'control'} window`);
  const cm = mean(control as number[]);
  const tm = mean(treated as number[]);
  if (cm === 0) return none('the control mean is 0: no relative effect');
  const reach = smallestPValue(control.length, treated.length);
  if (reach >= o.alpha) return none(`${control.length} control and ${treated.length} treated windows: the smallest p-value they allow (${reach.toFixed(3)}) is not below ${o.alpha}; lengthen the window or add trials`);
  const effect = (tm - cm) / Math.abs(cm);
  const rng = new StreamRng(`${o.seedKey}:permutation`);
  const permutations = o.permutations ?? 10000;
  // simple-statistics returns k / n, which is 0 when no permutation reaches the observed difference; a permutation
  // p-value is never 0: (k + 1) / (n + 1) counts the observed labelling among them (Phipson & Smyth 2010).
  const pValue = (Math.round(permutationTest(treated as number[], control as number[], 'two_side', permutations, () => rng.uniform()) * permutations) + 1) / (permutations + 1);
  const effectCi95 = bootstrapEffectCi95(control, treated, `${o.seedKey}:bootstrap`, o.resamples ?? 2000);
  const significant = pValue < o.alpha;
  const large = Math.abs(effect) >= o.minEffect;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const reason = significant && large
    ? `changed by ${pct(effect)} (95% CI ${pct(effectCi95[0])} to ${pct(effectCi95[1])}), p ${formatP(pValue)} < ${o.alpha}, beyond the ${pct(o.minEffect)} tolerance`
    : significant
      ? `changed by ${pct(effect)} (p ${formatP(pValue)}), within the ${pct(o.minEffect)} tolerance`
      : `no significant change (${pct(effect)}, p ${formatP(pValue)})`;
  return { outcome: significant && large ? 'fail' : 'pass', controlMean: cm, treatedMean: tm, effect, effectCi95, pValue, reason };
}

/** Percentile bootstrap 95% interval of (mean(treated) - mean(control)) / |mean(control)|, both groups resampled. */
function bootstrapEffectCi95(control: readonly number[], treated: readonly number[], seedKey: string, resamples: number): [number, number] {
  const rng = new StreamRng(seedKey);
  const draw = (xs: readonly number[]) => {
    let s = 0;
    for (let i = 0; i < xs.length; i++) s += xs[rng.below(xs.length)];
    return s / xs.length;
  };
  const effects: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const c = draw(control);
    // A resample whose control mean is 0 has no relative effect; it is left out.
    if (c !== 0) effects.push((draw(treated) - c) / Math.abs(c));
  }
  effects.sort((a, b) => a - b);
  if (!effects.length) return [0, 0];
  return [effects[Math.floor(0.025 * effects.length)], effects[Math.min(effects.length - 1, Math.ceil(0.975 * effects.length) - 1)]];
}
