import type { ExperimentRecord } from '../engine/journal.js';
import { defenceTable } from './defence-table.js';
import { networkFigure, probeFigure, rasterFigure, rateFigure, timelineOf, type FigureContext } from './experiment-figures.js';
import { fmtHypothesis } from './format-score.js';
import { esc } from './html-escape.js';

/** The HTML id of an experiment's section (letters, digits, - and _ kept; the rest as -). */
export function sectionId(experimentId: string): string {
  return `exp-${experimentId.replace(/[^A-Za-z0-9_-]/g, '-')}`;
}

/** An experiment's verdict outcome, read defensively. */
export function outcomeOf(e: ExperimentRecord): 'pass' | 'fail' | 'interrupted' | 'not-run' {
  const o = e.verdict?.outcome;
  return o === 'pass' || o === 'fail' || o === 'interrupted' || o === 'not-run' ? o : 'fail';
}

/** A verdict badge: PASS, FAIL, INTERRUPTED, NOT RUN. */
export function badge(outcome: string): string {
  return `<span class="badge v-${esc(outcome)}">${esc(outcome.replace('-', ' ').toUpperCase())}</span>`;
}

/** The reasons of a verdict, or for a pass what held. */
export function reasonsList(e: ExperimentRecord): string {
  const reasons = Array.isArray(e.verdict?.reasons) ? e.verdict.reasons : [];
  if (reasons.length > 0) return `<ul class="reasons">${reasons.map((r) => `<li>${esc(r)}</li>`).join('')}</ul>`;
  if (outcomeOf(e) !== 'pass') return '';
  const rec = e.recovery?.recovered ? `; back ${(e.recovery.simMs ?? 0).toFixed(0)} ms after the fault ended (SLA ${e.durations?.slaMs ?? '-'} ms)` : '';
  return `<span class="held muted"> held before, during and after the fault${esc(rec)}</span>`;
}

const ms = (x: number | null) => (x === null ? '-' : `${x.toFixed(0)} ms`);

/** One sentence of when things happened: baseline, injection, rollback, end of the fault, recovery, hypotheses, alerts. */
function timelineText(e: ExperimentRecord): string {
  const t = timelineOf(e);
  const h = e.hypothesis ?? { before: null, during: null, after: null };
  const fault =
    t.injectedAtMs === null
      ? 'nothing injected'
      : `injected at ${t.injectedAtMs.toFixed(0)} ms, rolled back at ${ms(t.stoppedAtMs)}, stopped acting at ${ms(e.fault?.endedAtMs ?? null)}`;
  const sla = e.durations?.slaMs;
  const recovery = e.recovery?.recovered
    ? `; recovered at ${ms(t.recoveredAtMs)}, ${(e.recovery.simMs ?? 0).toFixed(0)} ms after the fault ended (SLA ${sla ?? '-'} ms: ${e.recovery.slaMet ? 'met' : 'missed'})`
    : e.scores?.recovery === null || e.scores?.recovery === undefined
      ? ''
      : `; not back in its steady state within ${e.durations?.recoveryTimeoutMs ?? '-'} ms`;
  const alerts = Array.isArray(e.alerts) ? e.alerts.length : 0;
  return `Status ${esc(e.status)}${e.abortReason ? ` (${esc(e.abortReason)})` : ''}; ${fault}${recovery}. Hypothesis before ${fmtHypothesis(h.before)}, during ${fmtHypothesis(h.during)}, after ${fmtHypothesis(h.after)}; ${alerts} alert(s).`;
}

function alertTable(e: ExperimentRecord): string {
  const alerts = Array.isArray(e.alerts) ? e.alerts : [];
  if (alerts.length === 0) return '';
  const shown = alerts.slice(0, 20);
  const rows = shown.map((a) => `<tr><td>${a.tMs.toFixed(0)}</td><td>${esc(a.phase ?? '')}</td><td>${esc(a.rule)}</td><td>${esc(a.detail)}</td></tr>`).join('');
  return `<table class="alerts"><caption>Alerts${alerts.length > shown.length ? ` (first ${shown.length} of ${alerts.length})` : ''}</caption><tr><th>ms</th><th>phase</th><th>rule</th><th>detail</th></tr>${rows}</table>`;
}

function stepsTable(e: ExperimentRecord): string {
  const steps = Array.isArray(e.steps) ? e.steps : [];
  if (steps.length === 0) return '';
  return `<details><summary>Activities (${steps.length})</summary><table><tr><th>activity</th><th>status</th><th>wall ms</th></tr>${steps.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(s.status)}</td><td>${Number.isFinite(s.durationMs) ? s.durationMs.toFixed(0) : '-'}</td></tr>`).join('')}</table></details>`;
}

function comparisonText(e: ExperimentRecord): string {
  const c = e.comparison;
  if (!c) return '';
  return `<p>Treated replicas ${c.treated.join(', ')} against controls ${c.controls.join(', ')}: network rate differs by ${c.meanDifferenceHz.toFixed(2)} Hz (bootstrap 95% CI ${c.ci95[0].toFixed(2)} to ${c.ci95[1].toFixed(2)}): ${c.significant ? 'a significant effect' : 'no significant effect'}.</p>`;
}

/** Every figure of an experiment, in reading order: rates, treated vs control, synchrony and the machine, raster. */
export function experimentFigures(e: ExperimentRecord, ctx: FigureContext, idPrefix: string): string {
  return [rateFigure(e, ctx, `${idPrefix}-rates`), probeFigure(e, ctx, `${idPrefix}-probes`), networkFigure(e, ctx, `${idPrefix}-network`), rasterFigure(e, ctx, `${idPrefix}-raster`)].join('');
}

/** One experiment's section: verdict and reasons, time line, figures, alerts, defences, activities. */
export function experimentSection(e: ExperimentRecord, ctx: FigureContext): string {
  const id = sectionId(e.id);
  const head = `<h2>${badge(outcomeOf(e))} ${esc(e.id)}: ${esc(e.fault?.kind ?? '')}</h2>${e.description ? `<p>${esc(e.description)}</p>` : ''}`;
  return `<section class="experiment" id="${id}">${head}${reasonsList(e)}<p class="timeline">${timelineText(e)}</p>${comparisonText(e)}${experimentFigures(e, ctx, id)}${alertTable(e)}${defenceTable(e)}${stepsTable(e)}</section>`;
}
