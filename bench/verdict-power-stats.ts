import { probit } from 'simple-statistics';

/** A binomial proportion with its 95% interval. */
export interface Proportion {
  successes: number;
  trials: number;
  /** successes / trials (null: no trial). */
  rate: number | null;
  /** Wilson score 95% interval (null: no trial). */
  ci95: [number, number] | null;
}

/**
 * The Wilson score interval of a binomial proportion (Wilson 1927, J. Am.
 * Stat. Assoc. 22:209; recommended over the Wald interval by Brown, Cai &
 * DasGupta 2001, Stat. Sci. 16:101): centre (p + z^2/2n) / (1 + z^2/n),
 * half-width z sqrt(p(1-p)/n + z^2/4n^2) / (1 + z^2/n), with z the normal
 * quantile from simple-statistics' `probit`. It stays inside [0, 1] and is
 * not degenerate at 0 or n successes (0 of 20 gives [0, 0.161]).
 */
export function wilsonInterval(successes: number, trials: number, level = 0.95): [number, number] {
  if (!(trials > 0) || successes < 0 || successes > trials) throw new RangeError(`wilsonInterval: need 0 <= successes <= trials, trials > 0 (got ${successes} of ${trials})`);
  const z = probit(1 - (1 - level) / 2);
  const n = trials;
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  // At 0 or n successes the bound is exact (0 or 1); clamp rounding.
  return [successes === 0 ? 0 : Math.max(0, centre - half), successes === n ? 1 : Math.min(1, centre + half)];
}

export function proportion(successes: number, trials: number): Proportion {
  return { successes, trials, rate: trials > 0 ? successes / trials : null, ci95: trials > 0 ? wilsonInterval(successes, trials) : null };
}

/** Graded points of one family, in growing grade, with their detection rates. */
export interface GradedRate {
  id: string;
  grade: number;
  detection: Proportion;
  /** The mean relative effect on the focus probe (e.g. -0.2: its rate fell by 20%). */
  meanFocusEffect: number | null;
}

/**
 * The smallest grade of a family detected with at least `power` (80% by
 * convention): the first point, in growing grade, whose measured detection
 * rate reaches it, with whether its 95% interval's lower bound does too
 * (the claim then holds at that confidence). null: no grade reaches it.
 */
export function smallestDetected(points: readonly GradedRate[], power = 0.8): { id: string; grade: number; meanFocusEffect: number | null; rate: number; lowerBoundMeetsPower: boolean } | null {
  const sorted = [...points].sort((a, b) => a.grade - b.grade);
  const hit = sorted.find((p) => p.detection.rate !== null && p.detection.rate >= power);
  if (!hit) return null;
  return { id: hit.id, grade: hit.grade, meanFocusEffect: hit.meanFocusEffect, rate: hit.detection.rate!, lowerBoundMeetsPower: (hit.detection.ci95?.[0] ?? 0) >= power };
}
