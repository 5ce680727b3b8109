import { upgradeJournal, type ExperimentRecord, type Journal } from '../engine/journal.js';
import { fmtScore } from './format-score.js';
import { lineChart, rasterChart } from './svg-charts.js';
import { summaryMarkdown } from './summary-md.js';

import { esc } from './html-escape.js';

/** A self-contained HTML report: inline CSS and SVG, nothing fetched. Reads every journal format; unmeasured figures print as n/a. */
export function reportHtml(journal: Journal, neurons: number, dtMs: number): string {
  const j = upgradeJournal(journal);
  const body = [
    `<h1>${esc(j.scenario.title)}</h1>`,
    `<p>Status <b>${esc(j.status)}</b>; overall resilience <b>${fmtScore(j.report.overall)}</b>. Seed ${j.scenario.seed}, ${esc(j.scenario.backend)} backend, ${j.scenario.workers} worker(s), batch ${j.scenario.batch}, time scale ${j.scenario.timeScale}. ${esc(j.startedAt)} to ${esc(j.endedAt)}.</p>`,
    table(j),
    list('Critical vulnerabilities', j.report.criticalVulnerabilities),
    list('Recovery capabilities', j.report.recoveryCapabilities),
    list('Recommendations', j.report.recommendations),
    ...j.experiments.map((e) => experimentSection(e, neurons, dtMs)),
  ];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(j.scenario.title)} - neurochaos report</title>
<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;color:#222}table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;padding:3px 6px;text-align:left}h2{margin-top:2em;border-bottom:1px solid #ddd}.bad{color:#b00}.good{color:#070}figure{margin:1em 0}</style>
</head><body>${body.join('\n')}
<details><summary>Summary as Markdown</summary><pre>${esc(summaryMarkdown(j))}</pre></details></body></html>`;
}

function table(j: Journal): string {
  const rows = j.experiments.map(
    (e) =>
      `<tr><td>${esc(e.id)}</td><td>${esc(e.fault.kind)}</td><td class="${e.status === 'completed' ? 'good' : 'bad'}">${esc(e.status)}</td><td class="${e.verdict.outcome === 'pass' ? 'good' : 'bad'}">${esc(e.verdict.outcome)}</td><td>${e.recovery.recovered ? `${e.recovery.simMs!.toFixed(0)} ms` : e.scores.recovery === null ? 'n/a' : 'not recovered'}</td><td>${e.recovery.slaMet ? 'met' : e.scores.recovery === null ? 'n/a' : 'missed'}</td><td>${fmtScore(e.scores.health)}</td><td>${fmtScore(e.scores.performance)}</td><td>${fmtScore(e.scores.integrity)}</td><td>${fmtScore(e.scores.recovery)}</td><td><b>${fmtScore(e.scores.overall)}</b></td></tr>`,
  );
  return `<table><tr><th>experiment</th><th>fault</th><th>status</th><th>verdict</th><th>recovery</th><th>SLA</th><th>health</th><th>performance</th><th>integrity</th><th>recovery</th><th>overall</th></tr>${rows.join('')}</table>`;
}

function list(title: string, items: string[]): string {
  return items.length ? `<h3>${esc(title)}</h3><ul>${items.map((x) => `<li>${esc(x)}</li>`).join('')}</ul>` : '';
}

function experimentSection(e: ExperimentRecord, neurons: number, dtMs: number): string {
  const xs = e.samples.map((s) => s.tMs);
  const pops = Object.keys(e.samples[0]?.ratesHz ?? {});
  const injected = e.fault.injectedAtMs;
  // The real fault window: to the step the fault stopped acting (format 1 journals lack it: to the rollback, else the observation's end).
  const faultEnd = e.fault.endedAtMs ?? e.fault.stoppedAtMs ?? (injected === null ? null : injected + e.durations.observationMs);
  const shade: [number, number] | undefined = injected !== null && faultEnd !== null ? [injected, faultEnd] : undefined;
  const recoveredAt = e.recovery.recovered && faultEnd !== null ? faultEnd + (e.recovery.simMs ?? 0) : undefined;
  const first = pops[0];
  const charts = [
    e.samples.length ? lineChart(pops.map((p) => ({ name: p, xs, ys: e.samples.map((s) => s.ratesHz[p]) })), {
      title: 'Population rates (fault window shaded; band of the first population in green)',
      xLabel: 'simulated time (ms)',
      yLabel: 'rate (Hz)',
      shade,
      band: first && e.bands[`rate.${first}`] ? [e.bands[`rate.${first}`].lo, e.bands[`rate.${first}`].hi] : undefined,
      marker: recoveredAt !== undefined ? { x: recoveredAt, label: 'recovered' } : undefined,
    }) : '',
    e.samples.length ? lineChart([{ name: 'steps/s', xs, ys: e.samples.map((s) => s.stepsPerSecond) }], { title: 'Throughput', xLabel: 'simulated time (ms)', yLabel: 'steps per wall second', shade, band: e.bands.stepsPerSecond ? [e.bands.stepsPerSecond.lo, e.bands.stepsPerSecond.hi] : undefined }) : '',
    e.samples.length ? lineChart([{ name: 'MiB', xs, ys: e.samples.map((s) => s.memoryBytes / 2 ** 20) }], { title: 'Memory in use (allocator)', xLabel: 'simulated time (ms)', yLabel: 'MiB', shade }) : '',
    rasterChart(e.raster.pairs, dtMs, neurons, e.raster.fromMs, e.raster.toMs, injected === null ? `Spike raster at the end (replica ${e.raster.replica}; nothing injected)` : `Spike raster around the injection (replica ${e.raster.replica})`, injected ?? undefined, shade?.[1]),
  ];
  const cmp = e.comparison
    ? `<p>Treated replicas ${e.comparison.treated.join(', ')} against controls ${e.comparison.controls.join(', ')}: network rate differs by ${e.comparison.meanDifferenceHz.toFixed(2)} Hz (bootstrap 95% CI ${e.comparison.ci95[0].toFixed(2)} to ${e.comparison.ci95[1].toFixed(2)}): ${e.comparison.significant ? 'a significant effect' : 'no significant effect'}.</p>`
    : '';
  const d = e.defences;
  const defences = d
    ? `<p>Defences: guards ${d.guards ? 'on' : 'off'}, scrubbing ${d.scrub ? 'on' : 'off'}. corruptionsInjected ${d.corruptionsInjected}, corruptionsDetected ${d.corruptionsDetected}, corruptionsRepaired ${d.corruptionsRepaired}, detectionLatencySteps ${d.detectionLatencySteps ?? '-'}, nonFiniteContained ${d.nonFiniteContained}, inputsCapped ${d.inputsCapped}, allocationFailures ${d.allocationFailures}, alertsFired ${d.alertsFired} (first ${d.alertLatencyMs === null ? '-' : `${d.alertLatencyMs.toFixed(0)} ms`} after injection), falseAlarms ${d.falseAlarms}. Recording ${esc(d.recording ?? 'off')}: spikesLost ${d.spikesLost ?? 0}, spikesDuplicated ${d.spikesDuplicated ?? 0}${e.recording ? ` (${e.recording.spikesRecorded} spikes in ${e.recording.blocksWritten} blocks, ${e.recording.writeErrors} write errors, ${e.recording.retries} retries, backlog peak ${e.recording.maxBacklogBytes} B, file ${e.recording.valid ? 'valid' : `INVALID: ${e.recording.gaps.length} gap(s)`})` : ''}; degradations ${d.degradations ?? 0}.</p>${e.degradations?.length ? `<ul>${e.degradations.map((g) => `<li>${g.tMs.toFixed(0)} ms, ${esc(g.component)} gave up ${esc(g.gaveUp)}</li>`).join('')}</ul>` : ''}`
    : '';
  const alertList = e.alerts?.length ? `<details><summary>${e.alerts.length} alert(s)</summary><ul>${e.alerts.slice(0, 50).map((a) => `<li>${a.tMs.toFixed(0)} ms, ${esc(a.rule)}: ${esc(a.detail)}</li>`).join('')}</ul></details>` : '';
  const steps = `<table><tr><th>step</th><th>status</th><th>wall ms</th></tr>${e.steps.map((s) => `<tr><td>${esc(s.name)}</td><td>${esc(s.status)}</td><td>${s.durationMs.toFixed(0)}</td></tr>`).join('')}</table>`;
  return `<h2>${esc(e.id)}: ${esc(e.fault.kind)}</h2>${e.description ? `<p>${esc(e.description)}</p>` : ''}<p>Status ${esc(e.status)}${e.abortReason ? ` (${esc(e.abortReason)})` : ''}; ${injected === null ? 'nothing injected' : `injected at ${injected.toFixed(0)} ms, rolled back at ${e.fault.stoppedAtMs === null ? '-' : `${e.fault.stoppedAtMs.toFixed(0)} ms`}, stopped acting at ${e.fault.endedAtMs === null ? '-' : `${e.fault.endedAtMs.toFixed(0)} ms`}`}. Verdict ${esc(e.verdict.outcome)}${e.verdict.reasons.length ? `: ${esc(e.verdict.reasons.join('; '))}` : ''}.</p>${cmp}${defences}${alertList}${charts.map((c) => `<figure>${c}</figure>`).join('')}${steps}`;
}
