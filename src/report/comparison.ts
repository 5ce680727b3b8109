import { upgradeJournal, type ExperimentRecord, type Journal } from '../engine/journal.js';
import { fmtScore } from './format-score.js';
import { esc } from './html-escape.js';
import { badge, experimentFigures, outcomeOf, reasonsList, sectionId } from './experiment-section.js';
import { sharedYDomains } from './experiment-figures.js';
import { populationLayout } from './population-layout.js';
import { REPORT_CSS } from './report-style.js';
import { banner } from './report-html.js';
import { runVerdict } from './run-verdict.js';

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

/**
 * A self-contained HTML page (inline CSS and SVG, no script): both runs'
 * verdicts at the top, a table of contents, then per experiment the figures
 * table (rows that differ highlighted) and the same plots as the report side
 * by side, defended on the left and raw on the right, each pair on one y scale.
 */
export function comparisonHtml(defended: Journal, raw: Journal): string {
  const d = upgradeJournal(defended);
  const r = upgradeJournal(raw);
  const vd = runVerdict(d);
  const vr = runVerdict(r);
  const populations = populationLayout(d);
  const sections = pairs(d, r)
    .map(([de, re]) => {
      const rows = ROWS.map((row) => {
        const a = row.value(de);
        const b = re ? row.value(re) : '-';
        return `<tr${a !== b ? ' class="diff"' : ''}><td>${esc(row.label)}</td><td>${esc(a)}</td><td>${esc(b)}</td></tr>`;
      }).join('');
      const id = sectionId(de.id);
      const yDomains = sharedYDomains(re ? [de, re] : [de]);
      const side = (e: ExperimentRecord, j: Journal, name: string, prefix: string) =>
        `<div><h4>${badge(outcomeOf(e))} ${esc(name)}</h4>${reasonsList(e)}${experimentFigures(e, { dtMs: j.scenario.dtMs, neurons: j.scenario.neurons, populations, columns: 2, yDomains }, `${id}-${prefix}`)}</div>`;
      return `<section class="experiment" id="${id}"><h2>${esc(de.id)} <small>(${esc(de.fault.kind)})</small></h2><table><tr><th>figure</th><th>defences on</th><th>defences off</th></tr>${rows}</table><div class="pair">${side(de, d, 'defences on', 'on')}${re ? side(re, r, 'defences off', 'off') : '<div><h4>defences off</h4><p>not in the raw run</p></div>'}</div></section>`;
    })
    .join('');
  const toc = `<nav class="toc" aria-label="Contents"><b>Contents</b><ol>${d.experiments.map((e) => `<li><a href="#${sectionId(e.id)}">${esc(e.id)}</a></li>`).join('')}</ol></nav>`;
  const banners = `<div class="pair"><div><h3>Defences on</h3>${banner(vd, d)}</div><div><h3>Defences off (raw)</h3>${banner(vr, r)}</div></div>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${esc(d.scenario.title)}: defences on vs off</title><style>${REPORT_CSS}body{max-width:1200px}</style></head><body><h1>${esc(d.scenario.title)}: defences on vs off</h1>${banners}<p class="muted">Seed ${d.scenario.seed}, backend ${esc(d.scenario.backend)}, ${d.scenario.neurons} neurons. Rows that differ are highlighted; each pair of plots shares its y scale. Defended run: ${esc(d.status)}; raw run: ${esc(r.status)}.</p>${toc}${sections}</body></html>\n`;
}
