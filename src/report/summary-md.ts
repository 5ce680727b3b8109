import type { Journal } from '../engine/journal.js';

const pct = (x: number) => `${(x * 100).toFixed(0)}%`;

/** The run as Markdown: verdict, one row per experiment, findings. */
export function summaryMarkdown(j: Journal): string {
  const lines = [
    `# ${j.scenario.title}`,
    '',
    `Status **${j.status}**, overall resilience **${j.report.overall.toFixed(2)}**. Seed ${j.scenario.seed}, backend ${j.scenario.backend} (${j.scenario.workers} worker(s), batch ${j.scenario.batch}), time scale ${j.scenario.timeScale}, neurochaos ${j.tool.version}.`,
    '',
    '| experiment | fault | status | hypothesis before / during / after | recovery (sim ms) | SLA | health | performance | integrity | recovery | overall |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...j.experiments.map((e) => {
      const h = e.hypothesis;
      const yn = (b: boolean) => (b ? 'held' : 'failed');
      const rec = e.recovery.recovered ? e.recovery.simMs!.toFixed(0) : 'not recovered';
      return `| ${e.id} | ${e.fault.kind} | ${e.status} | ${yn(h.before)} / ${yn(h.during)} / ${yn(h.after)} | ${rec} | ${e.recovery.slaMet ? 'met' : 'missed'} | ${pct(e.scores.health)} | ${pct(e.scores.performance)} | ${pct(e.scores.integrity)} | ${pct(e.scores.recovery)} | ${e.scores.overall.toFixed(2)} |`;
    }),
    '',
  ];
  for (const e of j.experiments) {
    const d = e.defences;
    if (!d) continue;
    lines.push(`- ${e.id}: defences (guards ${d.guards ? 'on' : 'off'}, scrubbing ${d.scrub ? 'on' : 'off'}): corruptionsInjected ${d.corruptionsInjected}, corruptionsDetected ${d.corruptionsDetected}, corruptionsRepaired ${d.corruptionsRepaired}, detectionLatencySteps ${d.detectionLatencySteps ?? '-'}, nonFiniteContained ${d.nonFiniteContained}, inputsCapped ${d.inputsCapped}, allocationFailures ${d.allocationFailures}, alertsFired ${d.alertsFired ?? 0} (first ${d.alertLatencyMs === null || d.alertLatencyMs === undefined ? '-' : `${d.alertLatencyMs.toFixed(0)} ms`} after injection), falseAlarms ${d.falseAlarms ?? 0}, recording ${d.recording ?? 'off'}: spikesLost ${d.spikesLost ?? 0}, spikesDuplicated ${d.spikesDuplicated ?? 0}, degradations ${d.degradations ?? 0}.`);
    for (const g of e.degradations ?? []) lines.push(`  - at ${g.tMs.toFixed(0)} ms ${g.component} gave up ${g.gaveUp}`);
  }
  for (const e of j.experiments) lines.push(`- ${e.id}: CV of inter-spike intervals ${e.cvIsi.baseline.toFixed(2)} (baseline), ${e.cvIsi.fault.toFixed(2)} (fault), ${e.cvIsi.recovery.toFixed(2)} (recovery).`);
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
