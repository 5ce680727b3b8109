import type { ExperimentRecord } from './journal.js';
import type { ProbeVerdict } from './judge/probe-types.js';

/** One finding behind a recommendation: which experiment, which probe (if a probe found it), and the value seen. */
export interface Evidence {
  experiment: string;
  /** The probe and when it was judged (`rate.L23E@during`), or null for a figure that is not a probe's (spikes lost, steps replayed). */
  probe: string | null;
  /** What was measured, in words with units. */
  value: string;
}

/** Advice the resilience report gives, with every finding that called for it. */
export interface Recommendation {
  /** The rule that fired (stable: tools key on it). */
  rule: RecommendationRule;
  text: string;
  evidence: Evidence[];
}

export type RecommendationRule = 'scrub-weights' | 'scrub-sooner' | 'durable-recording' | 'recording-backlog' | 'checkpoint-interval' | 'saturation-guard' | 'contain-non-finite' | 'degrade-allocations' | 'throughput';

/**
 * Average steps recomputed per lost worker from which a shorter checkpoint
 * interval is advised: half the default interval (DEFAULT_CHECKPOINT_EVERY_STEPS,
 * 1000), that is, replays longer than a uniformly placed failure would cost on average.
 */
export const REPLAY_ADVICE_STEPS = 500;

const pct = (x: number | null) => (x === null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const probeName = (p: ProbeVerdict) => `${p.id}@${p.when ?? 'during'}`;
/** A failing probe as evidence: its effect (relative change, or the distance for spike-distance) and p-value. */
const probeEvidence = (e: ExperimentRecord, p: ProbeVerdict): Evidence => ({
  experiment: e.id,
  probe: probeName(p),
  value: p.metric === 'spike-distance' ? `distance ${p.effect?.toFixed(3)} (bound ${p.tolerance})` : p.effect === null ? p.reason : `${p.metric} ${pct(p.effect)} (p = ${p.pValue?.toFixed(4)})`,
});
const failed = (e: ExperimentRecord, metrics?: readonly string[]) => (e.judge?.probes ?? []).filter((p) => p.outcome === 'fail' && (!metrics || metrics.includes(p.metric)));
const kindOf = (e: ExperimentRecord) => e.fault.kind;
/** Kinds of a fault and, for a cascade, of its initial failure. */
const kindsIn = (e: ExperimentRecord) => {
  const initial = (e.fault.spec as { initial?: { kind?: string } } | null)?.initial?.kind;
  return new Set([kindOf(e), ...(initial ? [initial] : [])]);
};

type Rule = (e: ExperimentRecord) => { rule: RecommendationRule; text: string; evidence: Evidence[] } | null;

/**
 * The rules, each from a finding, never from the fault kind alone:
 * - scrub-weights: weights were corrupted with scrubbing off and a probe failed;
 * - scrub-sooner: weights were corrupted with scrubbing on and a probe still failed;
 * - durable-recording: spikes were lost or duplicated by a recording that was not durable;
 * - recording-backlog: spikes were lost even though the recording was durable;
 * - checkpoint-interval: a recovery after lost workers replayed many steps
 *   (REPLAY_ADVICE_STEPS per lost worker on average), or a run with lost workers missed its SLA or never recovered;
 * - saturation-guard: a storm left a failing probe after its end, or the column did not recover from it;
 * - contain-non-finite: non-finite state escaped (a non-finite probe failed, or a sample after the baseline held non-finite values);
 * - degrade-allocations: allocations were refused and the experiment failed or aborted;
 * - throughput: an advisory wall-clock throughput probe failed (advisory, like the probe).
 */
const RULES: Rule[] = [
  (e) => {
    const d = e.defences;
    const probes = failed(e);
    if (!(d.corruptionsInjected > 0) || d.scrub || !probes.length) return null;
    return {
      rule: 'scrub-weights',
      text: 'Turn weight scrubbing on (defences.scrub: true): a golden copy of the weights, compared block by block, finds corrupted synapses and puts them back.',
      evidence: [{ experiment: e.id, probe: null, value: `${d.corruptionsInjected} synapses corrupted with scrubbing off` }, ...probes.map((p) => probeEvidence(e, p))],
    };
  },
  (e) => {
    const d = e.defences;
    const probes = failed(e);
    if (!(d.corruptionsInjected > 0) || !d.scrub || !probes.length) return null;
    const latency = d.detectionLatencySteps === null ? 'the scrubber found none of them' : `first found ${d.detectionLatencySteps} steps after injection`;
    return {
      rule: 'scrub-sooner',
      text: 'Scrub weights more often (a smaller defences.scrubEveryMs): the scrubber was on, yet corrupted weights changed the column before it repaired them.',
      evidence: [{ experiment: e.id, probe: null, value: `${d.corruptionsInjected} synapses corrupted, ${latency}` }, ...probes.map((p) => probeEvidence(e, p))],
    };
  },
  (e) => {
    const d = e.defences;
    if (!(d.spikesLost > 0 || d.spikesDuplicated > 0) || d.recording === 'durable') return null;
    return {
      rule: 'durable-recording',
      text: 'Record spikes durably (defences.recording: durable): append-only blocks with CRC, an fsync policy, retry with backoff and a bounded backlog.',
      evidence: [{ experiment: e.id, probe: null, value: `${d.spikesLost} spikes lost and ${d.spikesDuplicated} duplicated by the ${d.recording} recording` }],
    };
  },
  (e) => {
    const d = e.defences;
    if (!(d.spikesLost > 0 || d.spikesDuplicated > 0) || d.recording !== 'durable') return null;
    return {
      rule: 'recording-backlog',
      text: 'Give the durable recording more room (a larger defences.recordingBacklogBytes) or fsync every block (defences.fsync: block): it still lost spikes.',
      evidence: [{ experiment: e.id, probe: null, value: `${d.spikesLost} spikes lost and ${d.spikesDuplicated} duplicated by the durable recording` }],
    };
  },
  (e) => {
    const replays = e.defences.workerReplays ?? 0;
    const steps = e.defences.stepsReplayed ?? 0;
    const many = replays > 0 && steps / replays >= REPLAY_ADVICE_STEPS;
    const lostWorkers = replays > 0 || e.samples.some((s) => s.workerRestarts > 0);
    const slow = lostWorkers && e.recovery !== undefined && e.scores.recovery !== null && (!e.recovery.recovered || !e.recovery.slaMet);
    if (!many && !slow) return null;
    const evidence: Evidence[] = [];
    if (many) evidence.push({ experiment: e.id, probe: null, value: `${steps} steps replayed after ${replays} lost worker(s) (${Math.round(steps / replays)} per loss; advice from ${REPLAY_ADVICE_STEPS})` });
    if (slow) evidence.push({ experiment: e.id, probe: null, value: e.recovery.recovered ? `recovered in ${(e.recovery.simMs ?? 0).toFixed(0)} ms, beyond the ${e.durations.slaMs} ms SLA` : `did not recover within ${e.durations.recoveryTimeoutMs} ms` });
    return { rule: 'checkpoint-interval', text: 'Shorten the in-memory checkpoint interval (checkpointEverySteps; simulate --checkpoint-every) to cut the steps replayed after a lost worker.', evidence };
  },
  (e) => {
    if (!kindsIn(e).has('spike-storm')) return null;
    const after = (e.judge?.probes ?? []).filter((p) => p.outcome === 'fail' && (p.when === 'after' || p.when === 'continuous'));
    const notRecovered = e.scores.recovery !== null && !e.recovery.recovered;
    if (!after.length && !notRecovered) return null;
    const evidence = after.map((p) => probeEvidence(e, p));
    if (notRecovered) evidence.push({ experiment: e.id, probe: null, value: `did not return to its steady state within ${e.durations.recoveryTimeoutMs} ms` });
    return {
      rule: 'saturation-guard',
      text: `Cap input per step (defences.saturationPa${e.defences.guards ? '' : ', with defences.guards: true'}) so a storm cannot drive the column into a lasting synchronous state.`,
      evidence,
    };
  },
  (e) => {
    const probes = failed(e, ['non-finite']);
    const most = e.samples.filter((s) => s.phase !== 'baseline').reduce((m, s) => Math.max(m, s.nonFinite), 0);
    if (!probes.length && most === 0) return null;
    return {
      rule: 'contain-non-finite',
      text: `Contain non-finite state: ${e.defences.guards ? 'the guards were on, yet non-finite values escaped; check what bypasses them' : 'turn the guards on (defences.guards: true)'} (membranes and currents checked each step, the neuron reset and quarantined).`,
      evidence: probes.length ? probes.map((p) => probeEvidence(e, p)) : [{ experiment: e.id, probe: null, value: `${most} non-finite state values in a sample after injection` }],
    };
  },
  (e) => {
    const d = e.defences;
    if (!(d.allocationFailures > 0) || (e.status !== 'failed' && e.status !== 'aborted')) return null;
    return {
      rule: 'degrade-allocations',
      text: 'Degrade gracefully under allocator pressure (defences.degrade: true): shed recording buffers or restart points before refusing.',
      evidence: [{ experiment: e.id, probe: null, value: `${d.allocationFailures} allocations refused, ${d.degradations} degradation(s), experiment ${e.status}${e.abortReason ? `: ${e.abortReason}` : ''}` }],
    };
  },
  (e) => {
    const slow = (e.performanceImpact?.probes ?? []).filter((p) => p.metric === 'throughput' && p.outcome === 'fail' && (p.effect ?? 0) < 0);
    if (!slow.length) return null;
    return {
      rule: 'throughput',
      text: 'Advisory: budget CPU for the simulation or lower its batch; throughput did not hold (a wall-clock figure: it moves with the machine\'s load).',
      evidence: slow.map((p) => ({ experiment: e.id, probe: `${p.id}@${p.when}`, value: `${p.value?.toFixed(0)} steps/s against ${p.baseline?.toFixed(0)} (${pct(p.effect)}; baseline noise CV ${p.noiseCv === null ? 'n/a' : p.noiseCv.toFixed(2)})` })),
    };
  },
];

const NOTHING_FOUND: ExperimentRecord['defences'] = { guards: true, scrub: true, corruptionsInjected: 0, corruptionsDetected: 0, corruptionsRepaired: 0, detectionLatencySteps: null, nonFiniteContained: 0, quarantinedNeurons: 0, inputsCapped: 0, allocationFailures: 0, alertsFired: 0, falseAlarms: 0, alertLatencyMs: null, recording: 'durable', spikesLost: 0, spikesDuplicated: 0, degradations: 0 };

/**
 * Recommendations from the findings of a run's experiments: each rule that
 * fires for some experiment gives one recommendation, with the evidence of
 * every experiment it fired for (in experiment order). Experiments that
 * were not run give none.
 */
export function recommendationsFrom(experiments: readonly ExperimentRecord[]): Recommendation[] {
  const byRule = new Map<RecommendationRule, Recommendation>();
  for (const record of experiments) {
    if (record.status === 'not-run') continue;
    // Older or partial records may lack figures: what is absent found nothing.
    const e: ExperimentRecord = { ...record, samples: record.samples ?? [], defences: { ...NOTHING_FOUND, ...record.defences } };
    for (const rule of RULES) {
      const r = rule(e);
      if (!r) continue;
      const seen = byRule.get(r.rule);
      if (seen) seen.evidence.push(...r.evidence);
      else byRule.set(r.rule, { ...r, evidence: [...r.evidence] });
    }
  }
  return [...byRule.values()];
}

/** A recommendation as the report's text: the advice, then its evidence. */
export function recommendationText(r: Recommendation): string {
  const ev = r.evidence.map((x) => `${x.experiment}${x.probe ? `, probe ${x.probe}` : ''}: ${x.value}`).join('; ');
  return `${r.text} Evidence: ${ev}.`;
}
