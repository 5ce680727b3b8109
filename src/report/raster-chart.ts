import { bottomAxis, timeScale, timeUnitFor } from './chart-axes.js';
import { esc } from './html-escape.js';
import type { PopulationRange } from './population-layout.js';

/** At most this many spikes are drawn; beyond it every k-th neuron is kept (and the caption says so), so a report stays a few MB at most. */
export const RASTER_MAX_SPIKES = 20000;

export interface RasterOptions {
  title: string;
  /** Flattened (step, neuron) pairs. */
  pairs: number[];
  dtMs: number;
  neurons: number;
  fromMs: number;
  toMs: number;
  /** Neuron ranges by population, for labels and separators (null: unknown, one unlabelled block). */
  populations: PopulationRange[] | null;
  /** The fault window within the raster (simulated ms). */
  shade?: [number, number];
  width?: number;
  height?: number;
}

/**
 * A spike raster: one tick per spike at (time, neuron), neurons ascending
 * with population labels on the left and a line between populations,
 * excitatory populations dark and inhibitory ones in a second colour (by a
 * trailing E/I in the name), the fault window shaded, nice time ticks.
 * Returns the `<svg>` and how many neurons one row stands for.
 */
export function rasterChart(o: RasterOptions): { svg: string; keepEvery: number } {
  const w = o.width ?? 720;
  const h = o.height ?? 300;
  const m = { l: 48, r: 10, t: 8, b: 30 };
  const x = timeScale(o.fromMs, o.toMs, [m.l, w - m.r]);
  const n = Math.max(1, o.neurons);
  // Neuron 0 at the top, as NEST and Brian2 rasters of a column read from L2/3 down to L6.
  const y = (i: number) => m.t + ((i + 0.5) / n) * (h - m.t - m.b);
  const spikes = o.pairs.length / 2;
  const keepEvery = spikes > RASTER_MAX_SPIKES ? Math.ceil(spikes / RASTER_MAX_SPIKES) : 1;
  const parts = [`<svg class="chart raster" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(o.title)}" font-family="system-ui, sans-serif">`];
  if (o.shade) {
    const a = Math.max(m.l, x(o.shade[0]));
    const b = Math.min(w - m.r, x(o.shade[1]));
    if (b > a) parts.push(`<rect class="fault-window" x="${a.toFixed(1)}" y="${m.t}" width="${(b - a).toFixed(1)}" height="${h - m.t - m.b}" fill="#f8d0d0"><title>fault acting ${o.shade[0].toFixed(0)} to ${o.shade[1].toFixed(0)} ms</title></rect>`);
  }
  const pops = o.populations ?? [{ name: '', from: 0, to: n }];
  const byPop = new Map<number, string[]>();
  const popOf = (neuron: number) => {
    for (let k = 0; k < pops.length; k++) if (neuron >= pops[k].from && neuron < pops[k].to) return k;
    return pops.length - 1;
  };
  for (let k = 0; k < o.pairs.length; k += 2) {
    const neuron = o.pairs[k + 1];
    if (neuron % keepEvery !== 0) continue;
    const t = o.pairs[k] * o.dtMs;
    if (t < o.fromMs || t > o.toMs) continue;
    const p = popOf(neuron);
    let list = byPop.get(p);
    if (!list) byPop.set(p, (list = []));
    list.push(`M${x(t).toFixed(1)} ${y(neuron).toFixed(1)}h1`);
  }
  // Labels of small populations would overlap: each sits at least 9 px below the one before.
  let lastLabelY = -Infinity;
  pops.forEach((p, k) => {
    const inhibitory = /I$/.test(p.name);
    const d = byPop.get(k);
    if (d) parts.push(`<path class="spikes ${inhibitory ? 'inh' : 'exc'}" d="${d.join('')}" stroke="${inhibitory ? '#c0392b' : '#222'}" stroke-width="1.2"><title>${esc(p.name || 'spikes')}</title></path>`);
    if (k > 0) parts.push(`<line class="grid" x1="${m.l}" y1="${(y(p.from) - 0.5 * ((h - m.t - m.b) / n)).toFixed(1)}" x2="${w - m.r}" y2="${(y(p.from) - 0.5 * ((h - m.t - m.b) / n)).toFixed(1)}" stroke="#bbb" stroke-width="0.5" />`);
    if (p.name) {
      lastLabelY = Math.max((y(p.from) + y(p.to - 1)) / 2 + 3, lastLabelY + 9);
      parts.push(`<text class="tick" x="${m.l - 4}" y="${lastLabelY.toFixed(1)}" text-anchor="end" font-size="9">${esc(p.name)}</text>`);
    }
  });
  parts.push(bottomAxis(x, h - m.b, { ticks: 6, unit: timeUnitFor(o.toMs - o.fromMs), label: `simulated time (${timeUnitFor(o.toMs - o.fromMs).unit})`, labelY: h - 3 }));
  parts.push('</svg>');
  return { svg: parts.join(''), keepEvery };
}
