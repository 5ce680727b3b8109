import { bandChart, type BandSeries } from '../../src/report/svg-charts.js';
import { curvesToMarkdown, groupBy, type Curve } from './curve.js';

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** One SVG figure per curve family: solid lines defences on, dashed off, shaded 95% intervals. */
export function figureSvgs(curves: Curve[]): { figure: string; svg: string }[] {
  return [...groupBy(curves, (c) => c.figure)].map(([figure, group]) => {
    const series: BandSeries[] = group.map((c) => ({
      name: `${c.series}, defences ${c.defences}`,
      dashed: c.defences === 'off',
      xs: c.points.map((p) => p.x),
      ys: c.points.map((p) => p.mean),
      lo: c.points.map((p) => p.lo),
      hi: c.points.map((p) => p.hi),
    }));
    const g = group[0];
    return { figure, svg: bandChart(series, { title: figure, xLabel: g.xLabel, yLabel: g.yLabel, logX: g.logX, reference: g.reference, height: 300 + Math.max(0, series.length - 18) * 14 }) };
  });
}

/** A self-contained page: the setup, every figure, and the tables. */
export function curvesToHtml(curves: Curve[], title: string, setupLines: string[]): string {
  const figs = figureSvgs(curves).map((f) => `<figure>${f.svg}</figure>`);
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;color:#222}figure{margin:1.5em 0}pre{white-space:pre-wrap;background:#f6f6f6;padding:.6em}</style></head><body>
<h1>${esc(title)}</h1>
<ul>${setupLines.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<p>Lines: mean over trials; shaded: 95% t interval of the mean; solid: defences on (guards + weight scrubbing), dashed: off.</p>
${figs.join('\n')}
<h2>Tables</h2><pre>${esc(curvesToMarkdown(curves))}</pre>
</body></html>
`;
}
