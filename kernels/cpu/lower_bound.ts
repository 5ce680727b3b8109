/** First position in a[from, to) whose value is >= `value` (a is ascending). */
export function lowerBound(a: Uint32Array | Int32Array, from: number, to: number, value: number): number {
  let l = from;
  let h = to;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (a[m] < value) l = m + 1;
    else h = m;
  }
  return l;
}
