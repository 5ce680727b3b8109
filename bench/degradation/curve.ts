import { meanCi, type MeanCi } from './stats.js';

/** One measured point of a degradation curve: the x value and the trials' values. */
export interface CurvePoint extends MeanCi {
  x: number;
  trials: number[];
}

/** A curve: one metric against one fault parameter, for one series (a kind, an amplitude) and one defence setting. */
export interface Curve {
  /** Figure it belongs to, e.g. `weight-corruption/task-accuracy`. */
  figure: string;
  series: string;
  defences: 'on' | 'off';
  xLabel: string;
  yLabel: string;
  logX: boolean;
  points: CurvePoint[];
  /** A reference level drawn on the figure (chance, the control's value). */
  reference?: { y: number; label: string };
}

export function point(x: number, trials: number[]): CurvePoint {
  return { x, trials, ...meanCi(trials) };
}

const CSV_HEADER = 'figure,series,defences,x_label,x,y_label,mean,ci95_lo,ci95_hi,sd,n,trials';

const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const num = (x: number) => (Number.isFinite(x) ? String(Number(x.toPrecision(6))) : '');

/** Long-format CSV: one row per point, trials joined by ';'. */
export function curvesToCsv(curves: Curve[]): string {
  const rows = [CSV_HEADER];
  for (const c of curves) {
    for (const p of c.points) rows.push([cell(c.figure), cell(c.series), c.defences, cell(c.xLabel), num(p.x), cell(c.yLabel), num(p.mean), num(p.lo), num(p.hi), num(p.sd), String(p.n), p.trials.map(num).join(';')].join(','));
  }
  return `${rows.join('\n')}\n`;
}

/** One Markdown table per figure: rows are x values, columns series x defences, cells mean [lo, hi]. */
export function curvesToMarkdown(curves: Curve[]): string {
  const out: string[] = [];
  for (const [figure, group] of groupBy(curves, (c) => c.figure)) {
    const xs = [...new Set(group.flatMap((c) => c.points.map((p) => p.x)))].sort((a, b) => a - b);
    const cols = group.map((c) => `${c.series} (def. ${c.defences})`);
    out.push(`### ${figure}: ${group[0].yLabel} vs ${group[0].xLabel}`, '');
    if (group[0].reference) out.push(`Reference: ${group[0].reference.label} = ${fmt(group[0].reference.y)}.`, '');
    out.push(`| ${group[0].xLabel} | ${cols.join(' | ')} |`, `|---|${cols.map(() => '---').join('|')}|`);
    for (const x of xs) {
      const cells = group.map((c) => {
        const p = c.points.find((q) => q.x === x);
        return p ? (p.n > 1 ? `${fmt(p.mean)} [${fmt(p.lo)}, ${fmt(p.hi)}]` : fmt(p.mean)) : '';
      });
      out.push(`| ${fmt(x)} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

export function groupBy<T>(items: T[], key: (t: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const t of items) m.set(key(t), [...(m.get(key(t)) ?? []), t]);
  return m;
}

export function fmt(x: number): string {
  if (!Number.isFinite(x)) return '-';
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e5)) return x.toExponential(2);
  return String(Number(x.toPrecision(3)));
}
