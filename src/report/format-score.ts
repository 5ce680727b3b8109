/** How reports print a figure that was not measured (a null score part, hypothesis or CV). */
export const NOT_MEASURED = 'n/a';

/** A score in [0, 1] with `digits` decimals, or n/a when it was not measured. */
export function fmtScore(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined ? NOT_MEASURED : x.toFixed(digits);
}

/** A score as a whole percentage, or n/a when it was not measured. */
export function fmtPercent(x: number | null | undefined): string {
  return x === null || x === undefined ? NOT_MEASURED : `${(x * 100).toFixed(0)}%`;
}

/** A hypothesis: held, failed, or n/a when it was never checked. */
export function fmtHypothesis(held: boolean | null | undefined): string {
  return held === null || held === undefined ? NOT_MEASURED : held ? 'held' : 'failed';
}
