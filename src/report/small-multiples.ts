import { line } from 'd3-shape';
import { bottomAxis, extent, leftAxis, niceLinear, timeScale, timeUnitFor } from './chart-axes.js';
import { esc } from './html-escape.js';

/** One line in a panel: y values at x (simulated ms); a non-finite y breaks the line. */
export interface PanelSeries {
  name: string;
  xs: number[];
  ys: number[];
  /** CSS class of the line: `treated` (default), `control`, `raw`. */
  cls?: string;
  dashed?: boolean;
}

/** One small panel: a title, its lines, the steady-state band [lo, hi] shaded behind them. */
export interface Panel {
  title: string;
  series: PanelSeries[];
  band?: [number, number];
  /** Fixes the y range (e.g. shared by a defended and a raw panel); default: the data and band, from 0. */
  yDomain?: [number, number];
}

/** What happened when, drawn on every panel: the fault window, the recovery point, the alerts. */
export interface TimelineMarks {
  /** The real fault window: injection to when the fault stopped acting (simulated ms). */
  shade?: [number, number];
  /** Simulated ms at which the steady state was back (held for holdMs from here). */
  recoveredAtMs?: number;
  alerts?: { tMs: number; label: string }[];
}

export interface SmallMultiplesOptions {
  /** Accessible name of the figure. */
  title: string;
  /** The shared time axis, simulated ms. */
  xDomain: [number, number];
  /** Unit of the y axes, printed once under the figure's x label. */
  yLabel: string;
  marks: TimelineMarks;
  columns?: number;
  panelWidth?: number;
  panelHeight?: number;
}

const M = { l: 40, r: 8, t: 22, b: 24 };

/**
 * Small multiples: one panel per population (or metric), each with its own
 * nice y axis from 0, sharing the time axis, the shaded fault window, the
 * recovery line and the alert marks. Returns one `<svg>` string (no DOM:
 * d3-scale scales and d3-shape paths as text).
 */
export function smallMultiples(panels: Panel[], o: SmallMultiplesOptions): string {
  const cols = Math.max(1, Math.min(o.columns ?? 4, panels.length));
  const pw = o.panelWidth ?? 220;
  const ph = o.panelHeight ?? 126;
  const rows = Math.ceil(panels.length / cols);
  const w = cols * pw;
  const h = rows * ph + 16;
  const unit = timeUnitFor(o.xDomain[1] - o.xDomain[0]);
  const parts = [`<svg class="chart small-multiples" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(o.title)}" font-family="system-ui, sans-serif">`];
  panels.forEach((p, i) => {
    const ox = (i % cols) * pw;
    const oy = Math.floor(i / cols) * ph;
    parts.push(`<g class="panel" transform="translate(${ox},${oy})">${panel(p, pw, ph, o, unit, i === 0)}</g>`);
  });
  parts.push(`<text class="label" x="${w / 2}" y="${h - 3}" text-anchor="middle" font-size="10">simulated time (${unit.unit}); y: ${esc(o.yLabel)}</text>`);
  parts.push('</svg>');
  return parts.join('');
}

function panel(p: Panel, pw: number, ph: number, o: SmallMultiplesOptions, unit: ReturnType<typeof timeUnitFor>, first: boolean): string {
  const x = timeScale(o.xDomain[0], o.xDomain[1], [M.l, pw - M.r]);
  const yDomain = p.yDomain ?? [Math.min(0, extent(p.series.flatMap((s) => s.ys))[0]), extent(p.series.flatMap((s) => s.ys), p.band?.[1])[1]];
  const y = niceLinear(yDomain, [ph - M.b, M.t + 4], 3);
  const clipX = (v: number) => Math.max(M.l, Math.min(pw - M.r, v));
  const out: string[] = [];
  const { shade, recoveredAtMs, alerts } = o.marks;
  if (shade) {
    const a = clipX(x(shade[0]));
    const b = clipX(x(shade[1]));
    out.push(`<rect class="fault-window" x="${a.toFixed(1)}" y="${M.t + 4}" width="${Math.max(1, b - a).toFixed(1)}" height="${ph - M.b - M.t - 4}" fill="#f8d0d0"><title>fault acting ${shade[0].toFixed(0)} to ${shade[1].toFixed(0)} ms</title></rect>`);
  }
  if (p.band) {
    const top = y(Math.min(p.band[1], y.domain()[1]));
    const bottom = y(Math.max(p.band[0], y.domain()[0]));
    out.push(`<rect class="band" x="${M.l}" y="${top.toFixed(1)}" width="${pw - M.r - M.l}" height="${Math.max(1, bottom - top).toFixed(1)}" fill="#cfe8cf" opacity="0.6"><title>steady-state band ${p.band[0].toFixed(2)} to ${p.band[1].toFixed(2)}</title></rect>`);
  }
  out.push(leftAxis(y, M.l, pw - M.r, 3));
  out.push(bottomAxis(x, ph - M.b, { ticks: 4, unit }));
  for (const s of p.series) {
    const pts = s.xs.map((t, k) => [t, s.ys[k]] as [number, number]);
    const d = line<[number, number]>()
      .defined(([, v]) => Number.isFinite(v))
      .x(([t]) => x(t))
      .y(([, v]) => y(Math.min(Math.max(v, y.domain()[0]), y.domain()[1])))
      .digits(1)(pts);
    if (d) out.push(`<path class="series ${s.cls ?? 'treated'}" d="${d}" fill="none" stroke="#1f5fa8" stroke-width="1.3"${s.dashed ? ' stroke-dasharray="4 2"' : ''}><title>${esc(s.name)}</title></path>`);
  }
  if (recoveredAtMs !== undefined && recoveredAtMs >= o.xDomain[0] && recoveredAtMs <= o.xDomain[1]) {
    const rx = x(recoveredAtMs).toFixed(1);
    out.push(`<line class="recovered" x1="${rx}" y1="${M.t + 4}" x2="${rx}" y2="${ph - M.b}" stroke="#2a7a2a" stroke-dasharray="3 2"><title>recovered at ${recoveredAtMs.toFixed(0)} ms</title></line>`);
    if (first) out.push(`<text class="recovered-label" x="${(Number(rx) - 2).toFixed(1)}" y="${M.t + 12}" text-anchor="end" font-size="8" fill="#2a7a2a">recovered</text>`);
  }
  for (const a of alerts ?? []) {
    if (a.tMs < o.xDomain[0] || a.tMs > o.xDomain[1]) continue;
    const ax = x(a.tMs);
    out.push(`<path class="alert" d="M${(ax - 3.5).toFixed(1)},${M.t - 8}h7l-3.5,5z" fill="#d9822b"><title>alert ${a.tMs.toFixed(0)} ms: ${esc(a.label)}</title></path>`);
  }
  out.push(`<text class="panel-title" x="${M.l}" y="${M.t - 11}" font-size="10" font-weight="600">${esc(p.title)}</text>`);
  return out.join('');
}
