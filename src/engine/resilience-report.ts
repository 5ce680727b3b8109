import type { ExperimentRecord, ResilienceReport } from './journal.js';
import { meanOfMeasured } from './scores.js';
import { recommendationsFrom, recommendationText } from './recommendations.js';

/** What a run found, from the experiment records: the summary a person reads first. */
export function buildResilienceReport(experiments: ExperimentRecord[]): ResilienceReport {
  const critical: string[] = [];
  const capabilities: string[] = [];
  for (const e of experiments) {
    const name = `${e.id} (${e.fault.kind})`;
    if (e.status === 'not-run') continue;
    if (e.status === 'interrupted') critical.push(`${name}: interrupted before it finished`);
    if (e.status === 'aborted') critical.push(`${name}: aborted by the circuit breaker: ${e.abortReason}`);
    if (e.status === 'failed' && e.abortReason) critical.push(`${name}: failed: ${e.abortReason}`);
    if (e.samples.some((s) => s.phase !== 'baseline' && s.nonFinite > 0)) critical.push(`${name}: non-finite state escaped into the network`);
    if (e.scores.integrity === 0) critical.push(`${name}: rollback could not be verified`);
    if (!e.recovery.recovered && e.status !== 'interrupted' && e.scores.recovery !== null) {
      critical.push(`${name}: did not return to its steady state within ${e.durations.recoveryTimeoutMs} ms`);
    } else if (e.recovery.recovered && !e.recovery.slaMet) {
      critical.push(`${name}: recovered in ${e.recovery.simMs?.toFixed(0)} ms, beyond the ${e.durations.slaMs} ms SLA`);
    } else if (e.recovery.recovered) {
      capabilities.push(`${name}: back in its steady state ${e.recovery.simMs?.toFixed(0)} ms (simulated) after the fault ended, within the ${e.durations.slaMs} ms SLA`);
    }
  }
  // Experiments that measured nothing (interrupted in warm-up, not run, steady state not met) have no overall and do not count.
  const overall = meanOfMeasured(experiments.map((e) => e.scores.overall));
  // Each recommendation comes from a finding and cites it (src/engine/recommendations.ts), never from the fault kind alone.
  const findings = recommendationsFrom(experiments);
  return { overall, criticalVulnerabilities: critical, recoveryCapabilities: capabilities, recommendations: findings.map(recommendationText), recommendationFindings: findings };
}
