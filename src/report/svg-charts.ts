/**
 * Inline SVG charts: no scripts, no network, readable printed. The report's
 * timeline figures are in small-multiples.ts, raster-chart.ts and
 * probe-chart.ts (re-exported here); this file keeps the degradation-curve
 * chart of the benches. Scales and ticks come from d3-scale.
 */
import { scaleLinear } from 'd3-scale';
import { esc } from './html-escape.js';

export { smallMultiples, type Panel, type PanelSeries, type SmallMultiplesOptions, type TimelineMarks } from './small-multiples.js';
export { rasterChart, type RasterOptions } from './raster-chart.js';
export { probeChart, type ProbeWindows } from './probe-chart.js';

export interface Series {
  name: string;
  xs: number[];
  ys: number[];
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

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
  // d3's nice domain: the axis ends on tick values (1, 2 or 5 times a power of ten).
  const yScale = scaleLinear().domain([y0, y1]).nice(5);
  [y0, y1] = yScale.domain();
  const sx = (x: number) => m.l + ((tx(x) - x0) / (x1 - x0)) * (w - m.l - m.r);
  const sy = (y: number) => h - m.b - ((y - y0) / (y1 - y0)) * (h - m.t - m.b);
  const ok = (s: BandSeries, k: number) => Number.isFinite(s.xs[k]) && Number.isFinite(s.ys[k]) && (!o.logX || s.xs[k] > 0);
  const parts = [`<svg viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(o.title)}">`];
  parts.push(`<text x="${(m.l + w - m.r) / 2}" y="14" text-anchor="middle" font-size="13">${esc(o.title)}</text>`);
  parts.push(`<line x1="${m.l}" y1="${h - m.b}" x2="${w - m.r}" y2="${h - m.b}" stroke="#333" /><line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${h - m.b}" stroke="#333" />`);
  const yFmt = yScale.tickFormat(5);
  for (const yv of yScale.ticks(5)) {
    parts.push(`<line x1="${m.l}" y1="${sy(yv)}" x2="${w - m.r}" y2="${sy(yv)}" stroke="#eee" /><text x="${m.l - 4}" y="${sy(yv) + 4}" text-anchor="end" font-size="10">${yFmt(yv)}</text>`);
  }
  const xLinear = scaleLinear().domain([x0, x1]);
  const xticks = o.logX ? decades(x0, x1) : xLinear.ticks(5);
  const xFmt = xLinear.tickFormat(5);
  for (const xv of xticks) parts.push(`<text x="${sx(xv)}" y="${h - m.b + 14}" text-anchor="middle" font-size="10">${o.logX ? fmtLog(xv) : xFmt(xv)}</text>`);
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
