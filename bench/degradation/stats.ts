/** Two-sided 95% Student t quantiles for 1..30 degrees of freedom (beyond: the normal's 1.96). */
const T95 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];

export interface MeanCi {
  mean: number;
  /** 95% confidence interval of the mean (t distribution); the mean itself when n < 2. */
  lo: number;
  hi: number;
  sd: number;
  n: number;
}

/** Mean and 95% t interval of the finite values (trials). */
export function meanCi(values: number[]): MeanCi {
  const v = values.filter(Number.isFinite);
  const n = v.length;
  if (n === 0) return { mean: NaN, lo: NaN, hi: NaN, sd: NaN, n: 0 };
  const mean = v.reduce((a, x) => a + x, 0) / n;
  if (n < 2) return { mean, lo: mean, hi: mean, sd: 0, n };
  const sd = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = (T95[n - 2] ?? 1.96) * (sd / Math.sqrt(n));
  return { mean, lo: mean - half, hi: mean + half, sd, n };
}

/** n points from a to b, evenly spaced in log (a, b > 0). */
export function logSpace(a: number, b: number, n: number): number[] {
  if (n === 1) return [a];
  const la = Math.log10(a);
  const lb = Math.log10(b);
  return Array.from({ length: n }, (_, k) => Number((10 ** (la + ((lb - la) * k) / (n - 1))).toPrecision(3)));
}
