import type { AxisValue } from './grid.js';
import { summarize, type Interval } from './intervals.js';
import type { Campaign, JobEntry } from './load-campaign.js';
import { keyInfo, type MeasureValue, type ValueRange } from './measures.js';
import type { JobResult } from './job.js';

/** One recorded value of one job: a row of the long table. */
export interface ResultRow {
  entry: JobEntry;
  key: string;
  value: MeasureValue;
}

export interface CurvePoint extends Interval {
  x: AxisValue;
}

/** One line of a figure: a measure against the sweep's x axis, for one combination of the other axes, backend and defences. */
export interface Curve {
  /** `<sweep>/<measure key>`: the figure it belongs to. */
  family: string;
  sweep: string;
  key: string;
  series: string;
  defences: 'on' | 'off';
  xLabel: string;
  yLabel: string;
  range: ValueRange;
  logX: boolean;
  /** The x axis holds names (or the sweep has no axis): points are drawn at their index. */
  categorical: boolean;
  points: CurvePoint[];
}

/** Rows of every job that has a result, in the campaign's job order, keys sorted within a job. */
export function resultRows(c: Campaign, results: Map<string, JobResult>, opts: { wallClock: boolean }): ResultRow[] {
  const rows: ResultRow[] = [];
  for (const entry of c.jobs) {
    const r = results.get(entry.hash);
    if (!r || r.status !== 'ok') continue;
    for (const key of Object.keys(r.values).sort()) {
      if (!opts.wallClock && keyInfo(key).wallClock) continue;
      rows.push({ entry, key, value: r.values[key] });
    }
  }
  return rows;
}

/** Curves per sweep and measure key: trials (seeds) pooled per point, a 95% interval by the measure's range. */
export function buildCurves(c: Campaign, rows: ResultRow[]): Curve[] {
  const curves: Curve[] = [];
  for (const sweep of c.sweeps) {
    const name = sweep.spec.name;
    const x = sweep.x;
    const others = sweep.axes.filter((a) => a !== x);
    const seriesOf = (e: JobEntry) =>
      [...others.map((a) => `${a.key}=${e.labels.point[a.key]}`), ...(c.spec.backends.length > 1 ? [e.labels.backend] : []), ...(c.spec.defences.length > 1 ? [`defences ${e.labels.defences}`] : [])].join(', ') || 'all';
    const byKey = new Map<string, ResultRow[]>();
    for (const r of rows) if (r.entry.labels.sweep === name) byKey.set(r.key, [...(byKey.get(r.key) ?? []), r]);
    for (const key of [...byKey.keys()].sort()) {
      const info = keyInfo(key);
      const bySeries = new Map<string, ResultRow[]>();
      for (const r of byKey.get(key)!) bySeries.set(seriesOf(r.entry), [...(bySeries.get(seriesOf(r.entry)) ?? []), r]);
      for (const [series, list] of bySeries) {
        const xs = x ? x.values : ['all'];
        const points: CurvePoint[] = [];
        for (const xv of xs) {
          const at = list.filter((r) => (x ? r.entry.labels.point[x.key] === xv : true));
          if (!at.length) continue;
          points.push({ x: xv, ...summarize(at.map((r) => r.value), info.range, `${name}/${key}/${series}/${String(xv)}`) });
        }
        curves.push({
          family: `${name}/${key}`,
          sweep: name,
          key,
          series,
          defences: list[0].entry.labels.defences,
          xLabel: x ? x.key : 'point',
          yLabel: info.label,
          range: info.range,
          logX: x !== null && x.numeric && (x.log || (Math.min(...(x.values as number[])) > 0 && Math.max(...(x.values as number[])) / Math.min(...(x.values as number[])) >= 100)),
          categorical: x === null || !x.numeric,
          points,
        });
      }
    }
  }
  return curves;
}
