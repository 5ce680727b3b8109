/**
 * Rates of a long run averaged over windows, so a 30 s observation sampled
 * every 20 ms reads as a curve rather than a hairball (and the report stays
 * small). The window is stated in the figure's caption.
 */

/** Points a time series is reduced to at most, about one per 3 px of a 220 px panel. */
export const SMOOTH_TARGET_POINTS = 150;

const NICE_MS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10000, 20000, 50000, 100000];

/**
 * The averaging window for samples every `intervalMs` over `spanMs`: the
 * sample interval itself (no smoothing) while the span holds at most
 * SMOOTH_TARGET_POINTS samples, else the smallest nice window (1, 2, 2.5 or 5
 * times a power of ten, a multiple of the interval) giving at most that many points.
 */
export function smoothingWindowMs(spanMs: number, intervalMs: number): number {
  if (!(intervalMs > 0) || !(spanMs > 0) || spanMs / intervalMs <= SMOOTH_TARGET_POINTS) return intervalMs;
  const need = spanMs / SMOOTH_TARGET_POINTS;
  for (const w of NICE_MS) if (w >= need && w >= intervalMs && Math.abs(w / intervalMs - Math.round(w / intervalMs)) < 1e-9) return w;
  return Math.ceil(need / intervalMs) * intervalMs;
}

/**
 * Averages `ys` (sampled at `xs`, ascending, simulated ms) over consecutive
 * windows of `windowMs` aligned to multiples of it; each mean is placed at its
 * window's last sample time (a sample covers the interval before it). Non-finite
 * values are left out of a mean; a window with none gives NaN. With
 * `windowMs` <= the sample interval the input is returned as it is.
 */
export function windowMeans(xs: number[], ys: number[], windowMs: number): { xs: number[]; ys: number[] } {
  if (xs.length < 2 || windowMs <= xs[1] - xs[0]) return { xs, ys };
  const outX: number[] = [];
  const outY: number[] = [];
  let bin = Number.NaN;
  let sum = 0;
  let n = 0;
  let lastX = 0;
  const flush = () => {
    if (Number.isNaN(bin)) return;
    outX.push(lastX);
    outY.push(n > 0 ? sum / n : Number.NaN);
  };
  for (let k = 0; k < xs.length; k++) {
    // A sample at the end of a window belongs to it: (a, a + w].
    const b = Math.ceil(xs[k] / windowMs - 1e-9);
    if (b !== bin) {
      flush();
      bin = b;
      sum = 0;
      n = 0;
    }
    if (Number.isFinite(ys[k])) {
      sum += ys[k];
      n++;
    }
    lastX = xs[k];
  }
  flush();
  return { xs: outX, ys: outY };
}
