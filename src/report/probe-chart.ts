import { scalePoint } from 'd3-scale';
import { extent, leftAxis, niceLinear } from './chart-axes.js';
import { esc } from './html-escape.js';

/** One probe's windows as the judge compared them: a value per control window and per treated window. */
export interface ProbeWindows {
  id: string;
  outcome: string;
  controlValues: number[];
  treatedValues: number[];
  /** Relative effect (treated/control - 1), null when not measured. */
  effect: number | null;
  /** Fixes the y range (shared by a defended and a raw panel). */
  yDomain?: [number, number];
  /** What one value is: a judge window (the default), a paired trial (active-fraction) or a monitor sample (non-finite). */
  valuesAre?: 'windows' | 'pairs' | 'samples';
}

/**
 * Treated against control, per probe: a strip of dots for the control
 * windows and one for the treated windows with their means as bars, so a
 * reader sees the spread the judge's test weighed, not only its verdict.
 * Small multiples, each panel titled with the probe, its outcome and effect.
 */
export function probeChart(probes: ProbeWindows[], o: { title: string; controlLabel: string; unit: string; columns?: number }): string {
  const cols = Math.max(1, Math.min(o.columns ?? 5, probes.length));
  const pw = 144;
  const ph = 118;
  const m = { l: 36, r: 8, t: 18, b: 18 };
  const rows = Math.ceil(probes.length / cols);
  const w = cols * pw;
  const h = rows * ph + 14;
  const parts = [`<svg class="chart probes" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="img" aria-label="${esc(o.title)}" font-family="system-ui, sans-serif">`];
  probes.forEach((p, i) => {
    const ox = (i % cols) * pw;
    const oy = Math.floor(i / cols) * ph;
    const y = niceLinear(p.yDomain ?? [0, extent([...p.controlValues, ...p.treatedValues])[1]], [ph - m.b, m.t + 4], 3);
    const x = scalePoint<string>().domain(['control', 'treated']).range([m.l, pw - m.r]).padding(0.6);
    const g = [leftAxis(y, m.l, pw - m.r, 3)];
    const strip = (values: number[], key: 'control' | 'treated') => {
      const cx = x(key)!;
      values.forEach((v, k) => {
        if (!Number.isFinite(v)) return;
        // A small deterministic spread so equal values stay visible.
        const jitter = ((k % 5) - 2) * 2.2;
        g.push(`<circle class="dot ${key}" cx="${(cx + jitter).toFixed(1)}" cy="${y(v).toFixed(1)}" r="2" fill="${key === 'control' ? '#888' : '#1f5fa8'}" />`);
      });
      const finite = values.filter(Number.isFinite);
      if (finite.length > 0) {
        const mean = finite.reduce((s, v) => s + v, 0) / finite.length;
        g.push(`<line class="mean ${key}" x1="${(cx - 12).toFixed(1)}" x2="${(cx + 12).toFixed(1)}" y1="${y(mean).toFixed(1)}" y2="${y(mean).toFixed(1)}" stroke="${key === 'control' ? '#555' : '#1f5fa8'}" stroke-width="2"><title>${key} mean ${mean.toFixed(2)} (${finite.length} ${p.valuesAre ?? 'windows'})</title></line>`);
      }
      g.push(`<text class="tick" x="${cx.toFixed(1)}" y="${ph - m.b + 11}" text-anchor="middle" font-size="9">${key === 'control' ? esc(o.controlLabel) : 'treated'}</text>`);
    };
    strip(p.controlValues, 'control');
    strip(p.treatedValues, 'treated');
    const effect = p.effect === null || !Number.isFinite(p.effect) ? '' : ` ${p.effect >= 0 ? '+' : ''}${(p.effect * 100).toFixed(0)}%`;
    g.push(`<text class="panel-title" x="${m.l - 30}" y="${m.t - 6}" font-size="9.5" font-weight="600">${esc(p.id)} <tspan class="outcome-${esc(p.outcome)}">${esc(p.outcome)}${esc(effect)}</tspan></text>`);
    parts.push(`<g class="panel" transform="translate(${ox},${oy})">${g.join('')}</g>`);
  });
  parts.push(`<text class="label" x="${w / 2}" y="${h - 2}" text-anchor="middle" font-size="10">${esc(o.unit)} per judge window (per paired trial for active-fraction): control (grey) and treated (blue), bars at the means</text>`);
  parts.push('</svg>');
  return parts.join('');
}
