import { upgradeJournal, type ExperimentRecord, type Journal } from '../engine/journal.js';
import { fmtScore } from './format-score.js';
import { esc } from './html-escape.js';

/** One row of the side-by-side table: a figure, read from an experiment record. */
interface Row {
  label: string;
  value: (e: ExperimentRecord) => string;
}

const ROWS: Row[] = [
  { label: 'status', value: (e) => e.status },
  { label: 'verdict', value: (e) => e.verdict.outcome },
  { label: 'recovered (sim ms)', value: (e) => (e.recovery.recovered ? (e.recovery.simMs ?? 0).toFixed(0) : e.scores.recovery === null ? 'n/a' : 'no') },
  { label: 'SLA met', value: (e) => (e.recovery.slaMet ? 'yes' : e.scores.recovery === null ? 'n/a' : 'no') },
  { label: 'resilience score', value: (e) => fmtScore(e.scores.overall) },
  { label: 'max non-finite values in a sample', value: (e) => String(Math.max(0, ...e.samples.filter((s) => s.phase !== 'baseline').map((s) => s.nonFinite))) },
  { label: 'nonFiniteContained', value: (e) => String(e.defences.nonFiniteContained) },
  { label: 'corruptionsInjected', value: (e) => String(e.defences.corruptionsInjected) },
  { label: 'corruptionsDetected', value: (e) => String(e.defences.corruptionsDetected) },
  { label: 'corruptionsRepaired', value: (e) => String(e.defences.corruptionsRepaired) },
  { label: 'detectionLatencySteps', value: (e) => String(e.defences.detectionLatencySteps ?? '-') },
  { label: 'spikesLost', value: (e) => String(e.defences.spikesLost ?? 0) },
  { label: 'spikesDuplicated', value: (e) => String(e.defences.spikesDuplicated ?? 0) },
  { label: 'allocationFailures', value: (e) => String(e.defences.allocationFailures) },
  { label: 'degradations', value: (e) => String(e.defences.degradations ?? 0) },
  { label: 'alertsFired', value: (e) => String(e.defences.alertsFired) },
  { label: 'falseAlarms', value: (e) => String(e.defences.falseAlarms) },
];

/** Pairs each experiment of the defended run with the same experiment of the raw run (either journal in any format). */
function pairs(defended: Journal, raw: Journal): [ExperimentRecord, ExperimentRecord | undefined][] {
  const r = upgradeJournal(raw);
  return upgradeJournal(defended).experiments.map((e) => [e, r.experiments.find((x) => x.id === e.id)]);
}

/** Markdown: one table per experiment, defended beside raw. */
export function comparisonMarkdown(defended: Journal, raw: Journal): string {
  const out = [`# ${defended.scenario.title}: defences on vs off`, '', `Seed ${defended.scenario.seed}, backend ${defended.scenario.backend}, ${defended.scenario.neurons} neurons. Defended run: ${defended.status}; raw run: ${raw.status}.`, ''];
  for (const [d, r] of pairs(defended, raw)) {
    out.push(`## ${d.id} (${d.fault.kind})`, '', '| figure | defences on | defences off |', '|---|---|---|');
    for (const row of ROWS) out.push(`| ${row.label} | ${row.value(d)} | ${r ? row.value(r) : '-'} |`);
    out.push('');
  }
  return `${out.join('\n')}\n`;
}

/** A self-contained HTML page with the same tables. */
export function comparisonHtml(defended: Journal, raw: Journal): string {
  const tables = pairs(defended, raw)
    .map(([d, r]) => {
      const rows = ROWS.map((row) => {
        const a = row.value(d);
        const b = r ? row.value(r) : '-';
        return `<tr${a !== b ? ' class="diff"' : ''}><td>${esc(row.label)}</td><td>${esc(a)}</td><td>${esc(b)}</td></tr>`;
      }).join('');
      return `<h2>${esc(d.id)} <small>(${esc(d.fault.kind)})</small></h2><table><tr><th>figure</th><th>defences on</th><th>defences off</th></tr>${rows}</table>`;
    })
    .join('');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(defended.scenario.title)}: defences on vs off</title><style>body{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2em .6em;text-align:left}tr.diff td{background:#fff3cd}</style></head><body><h1>${esc(defended.scenario.title)}: defences on vs off</h1><p>Seed ${defended.scenario.seed}, backend ${esc(defended.scenario.backend)}, ${defended.scenario.neurons} neurons. Rows that differ are highlighted. Defended run: ${esc(defended.status)}; raw run: ${esc(raw.status)}.</p>${tables}</body></html>\n`;
}
