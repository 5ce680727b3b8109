import { scaleLog } from 'd3-scale';
import { line } from 'd3-shape';

export interface ScalingPoint {
  synapses: number;
  rtf: number;
  workers: number;
  label: string;
}

const W = 640;
const H = 400;
const M = { left: 64, right: 150, top: 30, bottom: 50 };
const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/**
 * Cost against size, log-log: the real-time factor (wall s per simulated s)
 * against the synapse count, one line per worker count. A slope of 1 is
 * cost proportional to synapses; flatter at the small end is the fixed
 * per-step cost (neuron update, synchronisation) showing.
 */
export function scalingSvg(points: ScalingPoint[], title: string): string {
  const xs = points.map((p) => p.synapses);
  const ys = points.map((p) => p.rtf);
  const x = scaleLog().domain([Math.min(...xs) / 1.5, Math.max(...xs) * 1.5]).range([M.left, W - M.right]);
  const y = scaleLog().domain([Math.min(...ys) / 1.5, Math.max(...ys) * 1.5]).range([H - M.bottom, M.top]);
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="11">`, `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${M.left}" y="18" font-size="13">${esc(title)}</text>`];
  for (const t of x.ticks(6)) {
    if (!/^[125]/.test(t.toExponential())) continue;
    out.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`, `<text x="${x(t)}" y="${H - M.bottom + 14}" text-anchor="middle">${t.toExponential(0)}</text>`);
  }
  for (const t of y.ticks(6)) {
    if (!/^[125]/.test(t.toExponential())) continue;
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" stroke="#eee"/>`, `<text x="${M.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text>`);
  }
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">synapses</text>`, `<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">real-time factor (wall s per simulated s)</text>`);
  const groups = [...new Set(points.map((p) => p.workers))].sort((a, b) => a - b);
  groups.forEach((w, i) => {
    const pts = points.filter((p) => p.workers === w).sort((a, b) => a.synapses - b.synapses);
    const colour = COLOURS[i % COLOURS.length];
    const path = line<ScalingPoint>()
      .x((p) => x(p.synapses))
      .y((p) => y(p.rtf))(pts);
    out.push(`<path d="${path}" fill="none" stroke="${colour}" stroke-width="2"/>`);
    for (const p of pts) out.push(`<circle cx="${x(p.synapses)}" cy="${y(p.rtf)}" r="3.5" fill="${colour}"><title>${esc(p.label)}: RTF ${p.rtf.toFixed(3)}</title></circle>`);
    out.push(`<text x="${W - M.right + 10}" y="${M.top + 16 * i + 10}" fill="${colour}">workers ${w}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
