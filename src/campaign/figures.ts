import type { Curve } from './curves.js';
import { keyInfo } from './measures.js';

/** Lines per panel: beyond it a figure is split into panels (facets) of at most this many. */
export const MAX_LINES_PER_PANEL = 8;

/** Colours told apart on a white and on a near-black background (Okabe-Ito, with the yellow swapped for a brown). */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8C6D31', '#7F7F7F'];

const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}

/**
 * The figure's own colours: light by default, dark where the viewer prefers
 * it (prefers-color-scheme), background and text set either way, so the SVG
 * reads the same alone, inline in a page, or in a dark-mode viewer.
 */
const STYLE = `<style>.bg{fill:#ffffff}.fg{fill:#1a1a1a}.ax{stroke:#444444}.grid{stroke:#dddddd}
@media (prefers-color-scheme: dark){.bg{fill:#121212}.fg{fill:#e8e8e8}.ax{stroke:#bbbbbb}.grid{stroke:#333333}}</style>`;

/** Splits a family's curves into panels of at most MAX_LINES_PER_PANEL lines, in order (defence pairs stay together). */
export function panels(curves: Curve[]): Curve[][] {
  const out: Curve[][] = [];
  for (let i = 0; i < curves.length; i += MAX_LINES_PER_PANEL) out.push(curves.slice(i, i + MAX_LINES_PER_PANEL));
  return out;
}

/**
 * One panel as a standalone SVG: each curve's mean as a line (dashed with
 * defences off), its 95% interval shaded; the y axis spans the measure's
 * range ([0, 1] for proportions, from 0 for values >= 0); the legend below
 * the plot, one row per line, so no label is cut.
 */
export function panelSvg(curves: Curve[], title: string): string {
  const w = 760;
  const m = { l: 64, r: 24, t: 48, b: 44 };
  const plotH = 260;
  const legendRowH = 16;
  const h = m.t + plotH + m.b + curves.length * legendRowH + 8;
  const first = curves[0];
  const xsAll = first.categorical ? [] : curves.flatMap((c) => c.points.map((p) => p.x as number));
  const cats = first.categorical ? [...new Set(curves.flatMap((c) => c.points.map((p) => String(p.x))))] : [];
  const tx = (v: number) => (first.logX ? Math.log10(v) : v);
  const xPos = (x: unknown) => (first.categorical ? cats.indexOf(String(x)) : tx(x as number));
  const x0 = first.categorical ? -0.5 : Math.min(...xsAll.map(tx));
  const x1 = first.categorical ? cats.length - 0.5 : Math.max(...xsAll.map(tx));
  const ys = curves.flatMap((c) => c.points.flatMap((p) => [p.lo, p.hi, p.mean])).filter(Number.isFinite);
  let y0 = first.range === 'real' ? Math.min(0, ...ys) : 0;
  let y1 = first.range === 'proportion' ? 1 : Math.max(...ys, 0);
  if (!(y1 > y0)) {
    y0 = 0;
    y1 = 1;
  }
  if (first.range !== 'proportion') y1 += (y1 - y0) * 0.05;
  const pw = w - m.l - m.r;
  const sx = (x: unknown) => m.l + ((xPos(x) - x0) / (x1 - x0 || 1)) * pw;
  const sy = (y: number) => m.t + plotH - ((y - y0) / (y1 - y0)) * plotH;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(title)}" font-family="system-ui, sans-serif">`, STYLE];
  out.push(`<rect class="bg" x="0" y="0" width="${w}" height="${h}"/>`);
  out.push(`<text class="fg" x="${w / 2}" y="18" text-anchor="middle" font-size="13">${esc(title)}</text>`);
  out.push(`<text class="fg" x="${w / 2}" y="34" text-anchor="middle" font-size="11">${esc(first.yLabel)}</text>`);
  for (let k = 0; k <= 4; k++) {
    const yv = y0 + ((y1 - y0) * k) / 4;
    out.push(`<line class="grid" x1="${m.l}" x2="${w - m.r}" y1="${sy(yv).toFixed(1)}" y2="${sy(yv).toFixed(1)}"/>`);
    out.push(`<text class="fg" x="${m.l - 6}" y="${(sy(yv) + 4).toFixed(1)}" text-anchor="end" font-size="10">${fmt(yv)}</text>`);
  }
  const ticks = first.categorical ? cats.map((c) => ({ at: c, label: c })) : [...new Set(xsAll)].sort((a, b) => a - b).map((v) => ({ at: v as unknown, label: fmt(v) }));
  const every = Math.max(1, Math.ceil(ticks.length / 10));
  ticks.forEach((t, i) => {
    if (i % every) return;
    out.push(`<text class="fg" x="${sx(t.at).toFixed(1)}" y="${m.t + plotH + 14}" text-anchor="middle" font-size="10">${esc(t.label)}</text>`);
  });
  out.push(`<line class="ax" x1="${m.l}" y1="${m.t + plotH}" x2="${w - m.r}" y2="${m.t + plotH}"/><line class="ax" x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + plotH}"/>`);
  out.push(`<text class="fg" x="${m.l + pw / 2}" y="${m.t + plotH + 32}" text-anchor="middle" font-size="11">${esc(first.xLabel)}${first.logX ? ' (log)' : ''}</text>`);
  out.push(`<text class="fg" x="14" y="${m.t + plotH / 2}" text-anchor="middle" font-size="11" transform="rotate(-90 14 ${m.t + plotH / 2})">${esc(axisLabel(first.key))}</text>`);
  curves.forEach((c, i) => {
    const color = PALETTE[i % PALETTE.length];
    const pts = c.points.filter((p) => Number.isFinite(p.mean));
    if (pts.length > 1) {
      const upper = pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.hi).toFixed(1)}`);
      const lower = pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.lo).toFixed(1)}`).reverse();
      out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" opacity="0.15"/>`);
      out.push(`<polyline points="${pts.map((p) => `${sx(p.x).toFixed(1)},${sy(p.mean).toFixed(1)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="1.8"${c.defences === 'off' ? ' stroke-dasharray="6 4"' : ''}/>`);
    }
    for (const p of pts) {
      out.push(`<line x1="${sx(p.x).toFixed(1)}" x2="${sx(p.x).toFixed(1)}" y1="${sy(p.lo).toFixed(1)}" y2="${sy(p.hi).toFixed(1)}" stroke="${color}" stroke-width="1"/>`);
      out.push(`<circle cx="${sx(p.x).toFixed(1)}" cy="${sy(p.mean).toFixed(1)}" r="2.5" fill="${color}"/>`);
    }
    const ly = m.t + plotH + m.b + i * legendRowH + 8;
    out.push(`<line x1="${m.l}" x2="${m.l + 26}" y1="${ly - 4}" y2="${ly - 4}" stroke="${color}" stroke-width="2"${c.defences === 'off' ? ' stroke-dasharray="6 4"' : ''}/>`);
    out.push(`<text class="fg" x="${m.l + 32}" y="${ly}" font-size="11">${esc(c.series)}</text>`);
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The y axis says the key and its unit (the full label is the figure's subtitle). */
function axisLabel(key: string): string {
  const unit = keyInfo(key).unit;
  return unit ? `${key} (${unit})` : key;
}

/** Every figure: one per family (sweep x measure), split into panels of at most MAX_LINES_PER_PANEL lines. */
export function familyFigures(curves: Curve[]): { family: string; panel: number; panels: number; svg: string }[] {
  const families = new Map<string, Curve[]>();
  for (const c of curves) families.set(c.family, [...(families.get(c.family) ?? []), c]);
  const out: { family: string; panel: number; panels: number; svg: string }[] = [];
  for (const [family, list] of families) {
    const ps = panels(list);
    ps.forEach((p, i) => out.push({ family, panel: i + 1, panels: ps.length, svg: panelSvg(p, ps.length > 1 ? `${family} (${i + 1} of ${ps.length})` : family) }));
  }
  return out;
}
