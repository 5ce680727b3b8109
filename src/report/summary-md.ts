import { upgradeJournal, type Journal } from '../engine/journal.js';
import { fmtHypothesis, fmtPercent, fmtScore } from './format-score.js';
import { runVerdict } from './run-verdict.js';

/** The run as Markdown: the run's verdict (PASS, FAIL, INTERRUPTED, NOT RUN) with its reasons, one row per experiment, findings. Reads every journal format; unmeasured figures print as n/a. */
export function summaryMarkdown(journal: Journal): string {
  const j = upgradeJournal(journal);
  const verdict = runVerdict(j);
  const lines = [
    `# ${j.scenario.title}`,
    '',
    `Verdict **${verdict.outcome}**${verdict.reasons.length ? `: ${verdict.reasons.join('; ')}` : ''}.`,
    '',
    `Status **${j.status}**, overall resilience **${fmtScore(j.report.overall)}**. Seed ${j.scenario.seed}, backend ${j.scenario.backend} (${j.scenario.workers} worker(s), batch ${j.scenario.batch}${j.scenario.precision === 'float32' ? ', float32 arithmetic' : ''}), time scale ${j.scenario.timeScale}, neurochaos ${j.tool.version}.`,
    '',
    '| experiment | fault | status | verdict | hypothesis before / during / after | recovery (sim ms) | SLA | health | performance | integrity | recovery | overall |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...j.experiments.map((e) => {
      const h = e.hypothesis;
      const watched = e.scores.recovery !== null;
      const rec = e.recovery.recovered ? e.recovery.simMs!.toFixed(0) : watched ? 'not recovered' : 'n/a';
      const sla = e.recovery.slaMet ? 'met' : watched ? 'missed' : 'n/a';
      return `| ${e.id} | ${e.fault.kind} | ${e.status} | ${e.verdict.outcome} | ${fmtHypothesis(h.before)} / ${fmtHypothesis(h.during)} / ${fmtHypothesis(h.after)} | ${rec} | ${sla} | ${fmtPercent(e.scores.health)} | ${fmtPercent(e.scores.performance)} | ${fmtPercent(e.scores.integrity)} | ${fmtPercent(e.scores.recovery)} | ${fmtScore(e.scores.overall)} |`;
    }),
    '',
  ];
  for (const e of j.experiments) {
    const d = e.defences;
    if (!d || e.status === 'not-run') continue;
    lines.push(`- ${e.id}: defences (guards ${d.guards ? 'on' : 'off'}, scrubbing ${d.scrub ? 'on' : 'off'}): corruptionsInjected ${d.corruptionsInjected}, corruptionsDetected ${d.corruptionsDetected}, corruptionsRepaired ${d.corruptionsRepaired}, detectionLatencySteps ${d.detectionLatencySteps ?? '-'}, nonFiniteContained ${d.nonFiniteContained}, inputsCapped ${d.inputsCapped}, allocationFailures ${d.allocationFailures}, alertsFired ${d.alertsFired ?? 0} (first ${d.alertLatencyMs === null || d.alertLatencyMs === undefined ? '-' : `${d.alertLatencyMs.toFixed(0)} ms`} after injection), falseAlarms ${d.falseAlarms ?? 0}, recording ${d.recording ?? 'off'}: spikesLost ${d.spikesLost ?? 0}, spikesDuplicated ${d.spikesDuplicated ?? 0}, degradations ${d.degradations ?? 0}.`);
    for (const g of e.degradations ?? []) lines.push(`  - at ${g.tMs.toFixed(0)} ms ${g.component} gave up ${g.gaveUp}`);
  }
  for (const e of j.experiments) if (e.status !== 'not-run') lines.push(`- ${e.id}: CV of inter-spike intervals ${fmtScore(e.cvIsi.baseline)} (baseline), ${fmtScore(e.cvIsi.fault)} (fault), ${fmtScore(e.cvIsi.recovery)} (recovery).`);
  for (const e of j.experiments) if (e.verdict.outcome !== 'pass') lines.push(`- ${e.id}: ${e.verdict.outcome}: ${e.verdict.reasons.join('; ')}.`);
  for (const e of j.experiments) {
    if (!e.comparison) continue;
    const c = e.comparison;
    lines.push(`- ${e.id}: treated replicas ${c.treated.join(',')} vs controls ${c.controls.join(',')}: network rate differs by ${c.meanDifferenceHz.toFixed(2)} Hz (bootstrap 95% CI ${c.ci95[0].toFixed(2)} to ${c.ci95[1].toFixed(2)}), ${c.significant ? 'a significant effect' : 'no significant effect'}.`);
  }
  const section = (title: string, items: string[]) => (items.length ? ['', `## ${title}`, '', ...items.map((x) => `- ${x}`)] : []);
  lines.push(...section('Critical vulnerabilities', j.report.criticalVulnerabilities));
  lines.push(...section('Recovery capabilities', j.report.recoveryCapabilities));
  lines.push(...section('Recommendations', j.report.recommendations));
  lines.push('');
  return lines.join('\n');
}
