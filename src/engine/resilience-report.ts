import type { ExperimentRecord, ResilienceReport } from './journal.js';
import { meanOfMeasured } from './scores.js';

/** What a run found, from the experiment records: the summary a person reads first. */
export function buildResilienceReport(experiments: ExperimentRecord[]): ResilienceReport {
  const critical: string[] = [];
  const capabilities: string[] = [];
  const recommendations = new Set<string>();
  for (const e of experiments) {
    const name = `${e.id} (${e.fault.kind})`;
    if (e.status === 'not-run') continue;
    if (e.status === 'interrupted') critical.push(`${name}: interrupted before it finished`);
    if (e.status === 'aborted') critical.push(`${name}: aborted by the circuit breaker: ${e.abortReason}`);
    if (e.status === 'failed' && e.abortReason) critical.push(`${name}: failed: ${e.abortReason}`);
    if (e.samples.some((s) => s.phase !== 'baseline' && s.nonFinite > 0)) {
      critical.push(`${name}: non-finite state escaped into the network`);
      recommendations.add('Contain non-finite state: guard membranes and currents each step (reset and quarantine the neuron).');
    }
    if (e.scores.integrity === 0) critical.push(`${name}: rollback could not be verified`);
    if (!e.recovery.recovered && e.status !== 'interrupted' && e.scores.recovery !== null) {
      critical.push(`${name}: did not return to its steady state within ${e.durations.recoveryTimeoutMs} ms`);
      if (e.fault.kind === 'weight-corruption') recommendations.add('Detect and repair corrupted weights: per-block checksums of the golden weights and a scrubber.');
      if (e.fault.kind === 'spike-storm') recommendations.add('Cap input per step (saturation guard) so a storm cannot drive the column into a lasting synchronous state.');
    } else if (e.recovery.recovered && !e.recovery.slaMet) {
      critical.push(`${name}: recovered in ${e.recovery.simMs?.toFixed(0)} ms, beyond the ${e.durations.slaMs} ms SLA`);
    } else if (e.recovery.recovered) {
      capabilities.push(`${name}: back in its steady state ${e.recovery.simMs?.toFixed(0)} ms (simulated) after the fault ended, within the ${e.durations.slaMs} ms SLA`);
    }
    if (e.fault.kind === 'worker-crash' || e.fault.kind === 'cascading-failure') recommendations.add('Shorten the in-memory checkpoint interval (--checkpoint-every) to cut the steps replayed after a lost worker.');
    if (e.fault.kind === 'disk-fault') recommendations.add('Record spikes durably: append-only blocks with CRC, fsync policy, retry with backoff and a bounded backlog.');
    if (e.fault.kind === 'allocator-pressure') recommendations.add('Degrade gracefully under allocator pressure: shed recording buffers or replicas before refusing.');
    if (e.scores.performance !== null && e.scores.performance < 0.8) recommendations.add(`Throughput fell to ${(e.scores.performance * 100).toFixed(0)}% of baseline under ${e.fault.kind}: budget CPU for the simulation or lower its batch.`);
  }
  // Experiments that measured nothing (interrupted in warm-up, not run, steady state not met) have no overall and do not count.
  const overall = meanOfMeasured(experiments.map((e) => e.scores.overall));
  return { overall, criticalVulnerabilities: critical, recoveryCapabilities: capabilities, recommendations: [...recommendations] };
}
