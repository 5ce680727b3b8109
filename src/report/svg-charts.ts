/** Small inline SVG charts for the report: no scripts, no network, readable printed. */

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export interface Series {
  name: string;
  xs: number[];
  ys: number[];
}

export interface LineChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Shaded x interval (the fault window). */
  shade?: [number, number];
  /** Horizontal band (the steady-state band of the first series). */
  band?: [number, number];
  /** Vertical marker (recovery). */
  marker?: { x: number; label: string };
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

export function lineChart(series: Series[], o: LineChartOptions): string {
  const w = o.width ?? 720;
  const h = o.height ?? 260;
  const m = { l: 56, r: 120, t: 24, b: 36 };
  const all = series.flatMap((s) => s.xs);
  const ys = series.flatMap((s) => s.ys).filter(Number.isFinite);
  const x0 = Math.min(...all, o.shade?.[0] ?? Infinity);
  const x1 = Math.max(...all, o.shade?.[1] ?? -Infinity);
  let y0 = Math.min(0, ...ys, o.band?.[0] ?? Infinity);
  let y1 = Math.max(...ys, o.band?.[1] ?? -Infinity);
  if (!(y1 > y0)) {
    y0 = 0;
    y1 = 1;
  }
  const sx = (x: number) => m.l + ((x - x0) / (x1 - x0 || 1)) * (w - m.l - m.r);
  const sy = (y: number) => h - m.b - ((y - y0) / (y1 - y0)) * (h - m.t - m.b);
  const parts = [`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(o.title)}">`];
  parts.push(`<text x="${w / 2}" y="14" text-anchor="middle" font-size="13">${esc(o.title)}</text>`);
  if (o.shade) parts.push(`<rect x="${sx(o.shade[0])}" y="${m.t}" width="${Math.max(1, sx(o.shade[1]) - sx(o.shade[0]))}" height="${h - m.t - m.b}" fill="#fdd" />`);
  if (o.band) parts.push(`<rect x="${m.l}" y="${sy(o.band[1])}" width="${w - m.l - m.r}" height="${Math.max(1, sy(o.band[0]) - sy(o.band[1]))}" fill="#dfd" opacity="0.7" />`);
  parts.push(`<line x1="${m.l}" y1="${h - m.b}" x2="${w - m.r}" y2="${h - m.b}" stroke="#333" /><line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${h - m.b}" stroke="#333" />`);
  for (let k = 0; k <= 4; k++) {
    const yv = y0 + ((y1 - y0) * k) / 4;
    const xv = x0 + ((x1 - x0) * k) / 4;
    parts.push(`<text x="${m.l - 4}" y="${sy(yv) + 4}" text-anchor="end" font-size="10">${fmt(yv)}</text>`);
    parts.push(`<text x="${sx(xv)}" y="${h - m.b + 14}" text-anchor="middle" font-size="10">${fmt(xv)}</text>`);
  }
  parts.push(`<text x="${(m.l + w - m.r) / 2}" y="${h - 4}" text-anchor="middle" font-size="11">${esc(o.xLabel)}</text>`);
  parts.push(`<text x="12" y="${h / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 12 ${h / 2})">${esc(o.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = s.xs.map((x, k) => (Number.isFinite(s.ys[k]) ? `${sx(x).toFixed(1)},${sy(s.ys[k]).toFixed(1)}` : '')).filter(Boolean).join(' ');
    parts.push(`<polyline points="${pts}" fill="none" stroke="${color}" stroke-width="1.5" />`);
    parts.push(`<text x="${w - m.r + 6}" y="${m.t + 12 + i * 14}" font-size="11" fill="${color}">${esc(s.name)}</text>`);
  });
  if (o.marker) parts.push(`<line x1="${sx(o.marker.x)}" y1="${m.t}" x2="${sx(o.marker.x)}" y2="${h - m.b}" stroke="#2a2" stroke-dasharray="4 3" /><text x="${sx(o.marker.x) + 3}" y="${m.t + 10}" font-size="10" fill="#2a2">${esc(o.marker.label)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

/** Spike raster: one dot per (time, neuron); the fault window shaded from `shadeFromMs` to `shadeToMs` (default: the right edge). */
export function rasterChart(pairs: number[], dtMs: number, neurons: number, fromMs: number, toMs: number, title: string, shadeFromMs?: number, shadeToMs?: number): string {
  const w = 720;
  const h = 260;
  const m = { l: 56, r: 20, t: 24, b: 36 };
  const sx = (t: number) => m.l + ((t - fromMs) / (toMs - fromMs || 1)) * (w - m.l - m.r);
  const sy = (n: number) => h - m.b - (n / Math.max(1, neurons)) * (h - m.t - m.b);
  const parts = [`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}">`];
  parts.push(`<text x="${w / 2}" y="14" text-anchor="middle" font-size="13">${esc(title)}</text>`);
  if (shadeFromMs !== undefined) {
    const right = Math.min(w - m.r, shadeToMs === undefined ? w - m.r : sx(shadeToMs));
    parts.push(`<rect x="${sx(shadeFromMs)}" y="${m.t}" width="${Math.max(1, right - sx(shadeFromMs))}" height="${h - m.t - m.b}" fill="#fdd" />`);
  }
  parts.push(`<line x1="${m.l}" y1="${h - m.b}" x2="${w - m.r}" y2="${h - m.b}" stroke="#333" />`);
  const dots: string[] = [];
  for (let k = 0; k < pairs.length; k += 2) dots.push(`M${sx(pairs[k] * dtMs).toFixed(1)} ${sy(pairs[k + 1]).toFixed(1)}h1`);
  parts.push(`<path d="${dots.join('')}" stroke="#000" stroke-width="1" />`);
  parts.push(`<text x="${m.l}" y="${h - m.b + 14}" font-size="10">${fmt(fromMs)} ms</text><text x="${w - m.r}" y="${h - m.b + 14}" font-size="10" text-anchor="end">${fmt(toMs)} ms</text>`);
  parts.push(`<text x="${(m.l + w - m.r) / 2}" y="${h - 4}" text-anchor="middle" font-size="11">time (ms); neurons ascending, by population</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1e6) return `${(x / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${(x / 1e3).toFixed(1)}k`;
  return a >= 10 || a === 0 ? x.toFixed(0) : x.toFixed(2);
}

/** A curve with a confidence band: mean ys, band [lo, hi] per point (NaN: no point there). */
export interface BandSeries extends Series {
  lo: number[];
  hi: number[];
  /** Dashed line (e.g. defences off beside defences on). */
  dashed?: boolean;
}

export interface BandChartOptions {
  title: string;
  xLabel: string;
  yLabel: string;
  /** Logarithmic x axis (every x must be > 0). */
  logX?: boolean;
  /** Horizontal reference line (e.g. chance level). */
  reference?: { y: number; label: string };
  width?: number;
  height?: number;
}

/**
 * Degradation curves: for each series a line through the means, points, and
 * a shaded band between lo and hi (a confidence interval), optional log x axis
 * with decade ticks. Same look as lineChart; no scripts.
 */
export function bandChart(series: BandSeries[], o: BandChartOptions): string {
  const w = o.width ?? 720;
  const h = o.height ?? 300;
  const m = { l: 60, r: 170, t: 24, b: 40 };
  const tx = (x: number) => (o.logX ? Math.log10(x) : x);
  const xs = series.flatMap((s) => s.xs).filter((x) => Number.isFinite(x) && (!o.logX || x > 0)).map(tx);
  const ys = series.flatMap((s) => [...s.ys, ...s.lo, ...s.hi]).filter(Number.isFinite);
  if (o.reference) ys.push(o.reference.y);
  let x0 = xs.length ? Math.min(...xs) : 0;
  let x1 = xs.length ? Math.max(...xs) : 1;
  if (!(x1 > x0)) [x0, x1] = [x0 - 1, x0 + 1];
  let y0 = Math.min(0, ...ys);
  let y1 = ys.length ? Math.max(...ys) : 1;
  if (!(y1 > y0)) [y0, y1] = [0, 1];
  y1 += (y1 - y0) * 0.05;
  const sx = (x: number) => m.l + ((tx(x) - x0) / (x1 - x0)) * (w - m.l - m.r);
  const sy = (y: number) => h - m.b - ((y - y0) / (y1 - y0)) * (h - m.t - m.b);
  const ok = (s: BandSeries, k: number) => Number.isFinite(s.xs[k]) && Number.isFinite(s.ys[k]) && (!o.logX || s.xs[k] > 0);
  const parts = [`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(o.title)}">`];
  parts.push(`<text x="${(m.l + w - m.r) / 2}" y="14" text-anchor="middle" font-size="13">${esc(o.title)}</text>`);
  parts.push(`<line x1="${m.l}" y1="${h - m.b}" x2="${w - m.r}" y2="${h - m.b}" stroke="#333" /><line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${h - m.b}" stroke="#333" />`);
  for (let k = 0; k <= 4; k++) {
    const yv = y0 + ((y1 - y0) * k) / 4;
    parts.push(`<line x1="${m.l}" y1="${sy(yv)}" x2="${w - m.r}" y2="${sy(yv)}" stroke="#eee" /><text x="${m.l - 4}" y="${sy(yv) + 4}" text-anchor="end" font-size="10">${fmt(yv)}</text>`);
  }
  const xticks = o.logX ? decades(x0, x1) : [0, 1, 2, 3, 4].map((k) => x0 + ((x1 - x0) * k) / 4);
  for (const xv of xticks) parts.push(`<text x="${sx(xv)}" y="${h - m.b + 14}" text-anchor="middle" font-size="10">${o.logX ? fmtLog(xv) : fmt(xv)}</text>`);
  parts.push(`<text x="${(m.l + w - m.r) / 2}" y="${h - 6}" text-anchor="middle" font-size="11">${esc(o.xLabel)}${o.logX ? ' (log)' : ''}</text>`);
  parts.push(`<text x="12" y="${h / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 12 ${h / 2})">${esc(o.yLabel)}</text>`);
  if (o.reference) parts.push(`<line x1="${m.l}" y1="${sy(o.reference.y)}" x2="${w - m.r}" y2="${sy(o.reference.y)}" stroke="#888" stroke-dasharray="2 3" /><text x="${w - m.r - 2}" y="${sy(o.reference.y) - 3}" text-anchor="end" font-size="10" fill="#666">${esc(o.reference.label)}</text>`);
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length];
    const idx = s.xs.map((_, k) => k).filter((k) => ok(s, k) && Number.isFinite(s.lo[k]) && Number.isFinite(s.hi[k]));
    if (idx.length > 0) {
      const upper = idx.map((k) => `${sx(s.xs[k]).toFixed(1)},${sy(s.hi[k]).toFixed(1)}`);
      const lower = idx.reverse().map((k) => `${sx(s.xs[k]).toFixed(1)},${sy(s.lo[k]).toFixed(1)}`);
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" opacity="0.15" stroke="none" />`);
    }
    const pts = s.xs.map((_, k) => k).filter((k) => ok(s, k));
    parts.push(`<polyline points="${pts.map((k) => `${sx(s.xs[k]).toFixed(1)},${sy(s.ys[k]).toFixed(1)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="1.5"${s.dashed ? ' stroke-dasharray="5 3"' : ''} />`);
    for (const k of pts) parts.push(`<circle cx="${sx(s.xs[k]).toFixed(1)}" cy="${sy(s.ys[k]).toFixed(1)}" r="2.2" fill="${color}" />`);
    parts.push(`<text x="${w - m.r + 6}" y="${m.t + 12 + i * 14}" font-size="11" fill="${color}">${s.dashed ? '- - ' : '— '}${esc(s.name)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('');
}

/** Powers of ten within [lo, hi] (log10 units), in data units; the ends when no decade falls inside. */
function decades(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.ceil(lo - 1e-9); e <= Math.floor(hi + 1e-9); e++) out.push(10 ** e);
  return out.length > 0 ? out : [10 ** lo, 10 ** hi];
}

function fmtLog(x: number): string {
  if (x >= 1e3 || x < 1e-2) return x.toExponential(0).replace('e+', 'e');
  return String(Number(x.toPrecision(2)));
}
