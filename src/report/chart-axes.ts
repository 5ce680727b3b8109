import { scaleLinear, type ScaleLinear } from 'd3-scale';
import { esc } from './html-escape.js';

/**
 * Shared pieces of the report's SVG charts: d3-scale linear scales with
 * "nice" ticks (1, 2, 5 times a power of ten), axes drawn as SVG strings
 * (no DOM), the time unit of an axis. Colours come from CSS classes
 * (report-style.ts) so light, dark and print modes restyle every chart; the
 * presentation attributes are the light defaults for an SVG read on its own.
 */

/** A time axis in ms, labelled in seconds once it spans more than 5 s (ticks like 10, 20, 30 s rather than 10000 ms). */
export interface TimeUnit {
  unit: 'ms' | 's';
  /** Divide ms by this to get the unit. */
  perUnit: number;
}

export function timeUnitFor(spanMs: number): TimeUnit {
  return spanMs > 5000 ? { unit: 's', perUnit: 1000 } : { unit: 'ms', perUnit: 1 };
}

/** A linear scale over `domain` (made nice: rounded out to tick values) onto `range`; a flat or empty domain is widened so its line sits mid-panel, not on an edge. */
export function niceLinear(domain: [number, number], range: [number, number], ticks = 4): ScaleLinear<number, number> {
  let [lo, hi] = domain;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) [lo, hi] = [0, 1];
  if (!(hi > lo)) {
    const pad = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 1;
    [lo, hi] = [lo - pad, hi + pad];
  }
  return scaleLinear().domain([lo, hi]).range(range).nice(ticks);
}

/** A linear time scale over exactly [fromMs, toMs] (time axes keep the run's span; their ticks are still nice). */
export function timeScale(fromMs: number, toMs: number, range: [number, number]): ScaleLinear<number, number> {
  return scaleLinear().domain([fromMs, toMs > fromMs ? toMs : fromMs + 1]).range(range);
}

/** The finite [min, max] of values, with extra values folded in; [0, 1] when there are none. */
export function extent(values: Iterable<number>, ...extra: (number | undefined)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of [...values, ...extra]) {
    if (v === undefined || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/** A bottom axis: the baseline, nice ticks, their labels (in `unit`), and an optional label under it. */
export function bottomAxis(x: ScaleLinear<number, number>, y: number, opts: { ticks?: number; unit?: TimeUnit; label?: string; labelY?: number } = {}): string {
  const perUnit = opts.unit?.perUnit ?? 1;
  const [d0, d1] = x.domain();
  const inUnit = scaleLinear().domain([d0 / perUnit, d1 / perUnit]);
  const fmt = inUnit.tickFormat(opts.ticks ?? 5);
  const [a, b] = x.range();
  const parts = [`<line class="axis" x1="${a}" y1="${y}" x2="${b}" y2="${y}" stroke="#555" />`];
  for (const t of inUnit.ticks(opts.ticks ?? 5)) {
    const px = r1(x(t * perUnit));
    parts.push(`<line class="axis" x1="${px}" y1="${y}" x2="${px}" y2="${y + 3}" stroke="#555" /><text class="tick" x="${px}" y="${y + 12}" text-anchor="middle" font-size="9">${fmt(t)}</text>`);
  }
  if (opts.label) parts.push(`<text class="label" x="${(a + b) / 2}" y="${opts.labelY ?? y + 24}" text-anchor="middle" font-size="10">${esc(opts.label)}</text>`);
  return parts.join('');
}

/** A left axis with light grid lines across the panel to `right`. */
export function leftAxis(y: ScaleLinear<number, number>, x: number, right: number, ticks = 3): string {
  const fmt = y.tickFormat(ticks);
  const parts: string[] = [];
  const [b, t] = y.range();
  parts.push(`<line class="axis" x1="${x}" y1="${t}" x2="${x}" y2="${b}" stroke="#555" />`);
  for (const v of y.ticks(ticks)) {
    const py = r1(y(v));
    parts.push(`<line class="grid" x1="${x}" y1="${py}" x2="${right}" y2="${py}" stroke="#e5e5e5" /><text class="tick" x="${x - 3}" y="${py + 3}" text-anchor="end" font-size="9">${fmt(v)}</text>`);
  }
  return parts.join('');
}
