/**
 * Coefficient of variation of inter-spike intervals, pooled over the neurons
 * of one replica, for the intervals that end inside each time window. About
 * 1 for Poisson-like irregular firing, near 0 for clock-like firing.
 */
export function pooledCvByWindow(pairs: Int32Array, neuronCount: number, windows: [number, number][]): number[] {
  const last = new Int32Array(neuronCount).fill(-1);
  const sum = new Float64Array(windows.length);
  const sq = new Float64Array(windows.length);
  const n = new Float64Array(windows.length);
  for (let k = 0; k < pairs.length; k += 2) {
    const step = pairs[k];
    const i = pairs[k + 1];
    const prev = last[i];
    last[i] = step;
    if (prev < 0) continue;
    const isi = step - prev;
    for (let w = 0; w < windows.length; w++) {
      if (step >= windows[w][0] && step < windows[w][1]) {
        sum[w] += isi;
        sq[w] += isi * isi;
        n[w]++;
      }
    }
  }
  return windows.map((_, w) => {
    if (n[w] < 2) return 0;
    const mean = sum[w] / n[w];
    const variance = sq[w] / n[w] - mean * mean;
    return mean > 0 ? Math.sqrt(Math.max(0, variance)) / mean : 0;
  });
}
