import { upgradeJournal, type Journal } from '../engine/journal.js';
import { badge, experimentSection, outcomeOf, reasonsList, sectionId } from './experiment-section.js';
import { fmtScore } from './format-score.js';
import { esc } from './html-escape.js';
import { populationLayout } from './population-layout.js';
import { REPORT_CSS } from './report-style.js';
import { runVerdict, type RunVerdict } from './run-verdict.js';
import { summaryMarkdown } from './summary-md.js';

/**
 * A self-contained HTML report (inline CSS and SVG; no script, nothing
 * fetched), verdict first: the run's verdict banner, each experiment's verdict
 * with its reasons linked to its section, a table of contents, the scores and
 * findings, then one section per experiment with its figures. Reads every
 * journal format; unmeasured figures print as n/a. Light and dark mode follow
 * the reader's system; printing gives light colours, one experiment a page.
 * `neurons` and `dtMs` are the network's size and time step (the journal's scenario).
 */
export function reportHtml(journal: Journal, neurons: number, dtMs: number): string {
  const j = upgradeJournal(journal);
  const ctx = { dtMs, neurons, populations: populationLayout(j) };
  const verdict = runVerdict(j);
  const body = [
    `<header><h1>${esc(j.scenario.title)}</h1>`,
    banner(verdict, j),
    `<p class="muted">Overall resilience <b>${fmtScore(j.report?.overall)}</b> (mean score of the measured experiments). Seed ${j.scenario.seed}, ${esc(j.scenario.backend)} backend, ${j.scenario.workers} worker(s), batch ${j.scenario.batch},${j.scenario.precision === 'float32' ? ' float32 arithmetic,' : ''} ${j.scenario.neurons} neurons, dt ${j.scenario.dtMs} ms, time scale ${j.scenario.timeScale}. ${esc(j.startedAt)} to ${esc(j.endedAt)}.</p></header>`,
    toc(j),
    `<section id="verdicts"><h2>Verdicts</h2>${verdictList(j)}</section>`,
    `<section id="scores"><h2>Scores</h2><p>Status <b>${esc(j.status)}</b>; overall resilience <b>${fmtScore(j.report?.overall)}</b>.</p>${table(j)}</section>`,
    findings(j),
    ...j.experiments.map((e) => experimentSection(e, ctx)),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="color-scheme" content="light dark"><title>${esc(verdict.outcome)}: ${esc(j.scenario.title)} - neurochaos report</title>
<style>${REPORT_CSS}</style>
</head><body>${body.join('\n')}
<details><summary>Summary as Markdown</summary><pre>${esc(summaryMarkdown(j))}</pre></details></body></html>`;
}

/** The run's verdict, big, with the reasons it did not pass and the count per outcome. */
export function banner(v: RunVerdict, j: Journal): string {
  const total = j.experiments.length;
  const counts = (['pass', 'fail', 'interrupted', 'not-run'] as const).filter((o) => v.counts[o] > 0).map((o) => `${v.counts[o]} ${o}`);
  const reasons = v.reasons.length ? `<ul>${v.reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>` : '<div>every experiment passed: the steady state held before, during and after each fault and every SLA was met</div>';
  return `<div class="banner v-${v.outcome.toLowerCase().replace(' ', '-')}" role="status" aria-label="run verdict"><div class="word">${esc(v.outcome)}</div><div><div><b>${total} experiment(s)</b>: ${esc(counts.join(', ') || 'none')}</div>${reasons}</div></div>`;
}

function toc(j: Journal): string {
  const exps = j.experiments.map((e) => `<li><a href="#${sectionId(e.id)}">${esc(e.id)}</a> ${badge(outcomeOf(e))}</li>`).join('');
  return `<nav class="toc" aria-label="Contents"><b>Contents</b><ol><li><a href="#verdicts">Verdicts</a></li><li><a href="#scores">Scores</a></li>${hasFindings(j) ? '<li><a href="#findings">Findings</a></li>' : ''}<li>Experiments<ol>${exps}</ol></li></ol></nav>`;
}

/** Each experiment's verdict with its reasons (which probe failed, the effect, the window), linked to its section. */
export function verdictList(j: Journal): string {
  return `<ol class="verdicts">${j.experiments.map((e) => `<li>${badge(outcomeOf(e))} <a href="#${sectionId(e.id)}">${esc(e.id)}</a> <span class="muted">(${esc(e.fault?.kind ?? '')})</span>${reasonsList(e)}</li>`).join('')}</ol>`;
}

function table(j: Journal): string {
  const rows = j.experiments.map(
    (e) =>
      `<tr><td>${esc(e.id)}</td><td>${esc(e.fault.kind)}</td><td class="${e.status === 'completed' ? 'good' : 'bad'}">${esc(e.status)}</td><td class="${outcomeOf(e) === 'pass' ? 'good' : 'bad'}">${esc(outcomeOf(e))}</td><td>${e.recovery?.recovered ? `${(e.recovery.simMs ?? 0).toFixed(0)} ms` : e.scores?.recovery === null ? 'n/a' : 'not recovered'}</td><td>${e.recovery?.slaMet ? 'met' : e.scores?.recovery === null ? 'n/a' : 'missed'}</td><td>${fmtScore(e.scores?.health)}</td><td>${fmtScore(e.scores?.performance)}</td><td>${fmtScore(e.scores?.integrity)}</td><td>${fmtScore(e.scores?.recovery)}</td><td><b>${fmtScore(e.scores?.overall)}</b></td></tr>`,
  );
  return `<table class="scores"><tr><th>experiment</th><th>fault</th><th>status</th><th>verdict</th><th>recovery time</th><th>SLA</th><th>health</th><th>performance</th><th>integrity</th><th>recovery score</th><th>overall</th></tr>${rows.join('')}</table>`;
}

function hasFindings(j: Journal): boolean {
  const r = j.report;
  return !!r && (r.criticalVulnerabilities?.length > 0 || r.recoveryCapabilities?.length > 0 || r.recommendations?.length > 0);
}

function findings(j: Journal): string {
  if (!hasFindings(j)) return '';
  return `<section id="findings"><h2>Findings</h2>${list('Critical vulnerabilities', j.report.criticalVulnerabilities)}${list('Recommendations', j.report.recommendations)}${list('Recovery capabilities', j.report.recoveryCapabilities, true)}</section>`;
}

function list(title: string, items: string[] | undefined, collapsed = false): string {
  if (!items?.length) return '';
  const ul = `<ul class="compact">${items.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>`;
  return collapsed ? `<details><summary>${esc(title)} (${items.length})</summary>${ul}</details>` : `<h3>${esc(title)}</h3>${ul}`;
}
