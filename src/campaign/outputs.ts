import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Curve, ResultRow } from './curves.js';
import { familyFigures, fmt } from './figures.js';
import { jobJudge, type Campaign, type JobEntry } from './load-campaign.js';
import type { JobResult } from './job.js';

const cell = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
const esc = (s: string) => s.replace(/[&<>"]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[ch]!);

export const CSV_HEADER = 'sweep,params,backend,defences,seed,measure,value,count,of,job';

/** A job's grid point as `key=value;key=value` (the params column). */
export function paramsOf(e: JobEntry): string {
  return Object.entries(e.labels.point).map(([k, v]) => `${k}=${v}`).join(';');
}

/**
 * The long-format table: one row per job and recorded value, in the
 * campaign's job order, values as JavaScript prints them (shortest exact
 * form). Deterministic: the same results give the same bytes, wherever the
 * jobs ran.
 */
export function resultsCsv(rows: ResultRow[]): string {
  const lines = [CSV_HEADER];
  for (const r of rows) {
    const l = r.entry.labels;
    lines.push([cell(l.sweep), cell(paramsOf(r.entry)), l.backend, l.defences, String(l.seed), cell(r.key), String(r.value.value), r.value.count === undefined ? '' : String(r.value.count), r.value.of === undefined ? '' : String(r.value.of), r.entry.hash].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export interface CampaignRunInfo {
  command: string;
  mode: 'local' | 'distributed';
  workers: number;
  wallSeconds: number;
  jobsRun: number;
  jobsResumed: number;
  codeVersion: string;
  machine?: string;
}

/** The jobs whose input made them fail, with the error (reported, never retried). */
export function failures(c: Campaign, results: Map<string, JobResult>): { entry: JobEntry; error: string }[] {
  return c.jobs.flatMap((entry) => {
    const r = results.get(entry.hash);
    return r && r.status === 'input-error' ? [{ entry, error: r.error ?? 'input error' }] : [];
  });
}

/** One Markdown table per family: rows are x values, columns the series, cells mean [95% interval] (n). */
export function curvesMarkdown(curves: Curve[]): string {
  const families = new Map<string, Curve[]>();
  for (const c of curves) families.set(c.family, [...(families.get(c.family) ?? []), c]);
  const out: string[] = [];
  for (const [family, list] of families) {
    const xs = [...new Set(list.flatMap((c) => c.points.map((p) => String(p.x))))];
    out.push(`### ${family}`, '', `${list[0].yLabel}, against ${list[0].xLabel}; mean [95% interval] (trials).`, '');
    out.push(`| ${list[0].xLabel} | ${list.map((c) => c.series.replace(/\|/g, '/')).join(' | ')} |`, `|---|${list.map(() => '---').join('|')}|`);
    for (const x of xs) {
      const cells = list.map((c) => {
        const p = c.points.find((q) => String(q.x) === x);
        return p ? `${fmt(p.mean)} [${fmt(p.lo)}, ${fmt(p.hi)}] (${p.n})` : '';
      });
      out.push(`| ${x} | ${cells.join(' | ')} |`);
    }
    out.push('');
  }
  return out.join('\n');
}

function setupLines(c: Campaign, info: CampaignRunInfo): string[] {
  const s = c.spec;
  const judge = jobJudge(s);
  const model = c.modelFile ? `model file ${c.modelFile} (carried in every job)` : `${s.model.name}${s.model.scale !== undefined ? ` scale ${s.model.scale}` : ''}${s.model.kScale !== undefined ? ` k-scale ${s.model.kScale}` : ''}`;
  return [
    `Command: ${info.command}; ${info.mode}, ${info.workers} worker${info.workers === 1 ? '' : 's'}; ${info.jobsRun} jobs run, ${info.jobsResumed} resumed from earlier runs; wall time ${info.wallSeconds.toFixed(1)} s.`,
    `Code version ${info.codeVersion}${info.machine ? `; ${info.machine}` : ''}.`,
    `Model: ${model}; backends ${s.backends.join(', ')}; precision ${s.precision ?? 'float64'} (the LIF update's arithmetic); judge: ${judge.controls} controls, ${judge.trials} trial(s) per job; dt ${s.dtMs} ms; ${s.trials} trial(s) per point (seeds ${s.seed}..${s.seed + s.trials - 1}); defences ${s.defences.join(' and ')}.`,
    `Experiment: warm-up ${s.experiment.warmupMs} ms, baseline ${s.experiment.baselineMs} ms, observation ${s.experiment.observationMs} ms, recovery timeout ${s.experiment.recoveryTimeoutMs} ms.`,
    `Sweeps: ${c.sweeps.map((w) => `${w.spec.name} (${String(w.spec.fault.kind)}; ${w.axes.map((a) => `${a.key}: ${a.values.length} values`).join(', ') || 'no axis'})`).join('; ')}.`,
    'Intervals (95%): Wilson for proportions (counts pooled over trials), percentile bootstrap of the mean for values >= 0 (2000 seeded resamples), Student t for signed values.',
  ];
}

/** Writes results.csv, results.json, summary.md, report.html and figures/*.svg into `dir`; returns the paths. */
export function writeCampaignOutputs(dir: string, c: Campaign, rows: ResultRow[], curves: Curve[], results: Map<string, JobResult>, info: CampaignRunInfo): string[] {
  mkdirSync(join(dir, 'figures'), { recursive: true });
  const failed = failures(c, results);
  const missing = c.jobs.filter((e) => !results.has(e.hash)).length;
  const setup = setupLines(c, info);
  const files: string[] = [];
  const write = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    files.push(join(dir, name));
  };
  write('results.csv', resultsCsv(rows));
  write(
    'results.json',
    `${JSON.stringify({ title: c.spec.title, file: c.file, run: info, jobs: c.jobs.length, missing, failed: failed.map((f) => ({ job: f.entry.hash, labels: f.entry.labels, error: f.error })), curves }, null, 1)}\n`,
  );
  const failedMd = failed.length ? ['## Jobs that failed on their input (not retried)', '', ...failed.map((f) => `- ${f.entry.labels.sweep} ${paramsOf(f.entry)} ${f.entry.labels.backend} defences ${f.entry.labels.defences} seed ${f.entry.labels.seed}: ${f.error}`), ''] : [];
  write('summary.md', [`# ${c.spec.title}`, '', ...setup.map((l) => `- ${l}`), missing ? `- ${missing} job(s) have no result yet (interrupted or failed: a rerun runs them).` : '', '', ...failedMd, '## Curves', '', curvesMarkdown(curves)].join('\n'));
  const figs = familyFigures(curves);
  for (const f of figs) {
    const name = `figures/${f.family.replace(/[^A-Za-z0-9.-]+/g, '_')}${f.panels > 1 ? `-${f.panel}` : ''}.svg`;
    write(name, `${f.svg}\n`);
  }
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="color-scheme" content="light dark"><title>${esc(c.spec.title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:980px;margin:2em auto;padding:0 1em;background:#fff;color:#1a1a1a}
@media (prefers-color-scheme: dark){body{background:#121212;color:#e8e8e8}pre{background:#1e1e1e!important}}
figure{margin:1.5em 0}svg{max-width:100%;height:auto}pre{white-space:pre-wrap;background:#f4f4f4;padding:.6em}</style></head><body>
<h1>${esc(c.spec.title)}</h1>
<ul>${setup.map((l) => `<li>${esc(l)}</li>`).join('')}</ul>
<p>Lines: mean over trials; shaded and bars: 95% interval; dashed: defences off. At most 8 lines per figure: larger families are split into panels.</p>
${failed.length ? `<h2>Jobs that failed on their input</h2><ul>${failed.map((f) => `<li>${esc(`${f.entry.labels.sweep} ${paramsOf(f.entry)} seed ${f.entry.labels.seed}: ${f.error}`)}</li>`).join('')}</ul>` : ''}
${figs.map((f) => `<figure>${f.svg}</figure>`).join('\n')}
<h2>Tables</h2><pre>${esc(curvesMarkdown(curves))}</pre>
</body></html>
`;
  write('report.html', html);
  return files;
}
