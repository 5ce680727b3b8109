/**
 * For every source row, the slice [lo[s], hi[s]) of synapses whose target is
 * in [targetLo, targetHi): rows are sorted by target, so each slice is found
 * by two binary searches.
 */
export function shardRowSlices(rowPtr: Uint32Array, targets: Uint32Array, neuronCount: number, targetLo: number, targetHi: number): { lo: Uint32Array; hi: Uint32Array } {
  const lo = new Uint32Array(neuronCount);
  const hi = new Uint32Array(neuronCount);
  for (let s = 0; s < neuronCount; s++) {
    const a = rowPtr[s];
    const b = rowPtr[s + 1];
    lo[s] = lowerBound(targets, a, b, targetLo);
    hi[s] = lowerBound(targets, lo[s], b, targetHi);
  }
  return { lo, hi };
}

function lowerBound(a: Uint32Array, from: number, to: number, value: number): number {
  let l = from;
  let h = to;
  while (l < h) {
    const m = (l + h) >>> 1;
    if (a[m] < value) l = m + 1;
    else h = m;
  }
  return l;
}
