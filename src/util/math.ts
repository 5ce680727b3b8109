/** Rounds half to even, as numpy's round does (the reference model's sizes depend on it: 106.5 -> 106). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}
