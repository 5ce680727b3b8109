import type { ExperimentState } from '../phases/experiment-state.js';
import { PROBE_WHEN } from '../probe-schema.js';
import { experimentProbes } from './experiment-probes.js';
import { probeSpanBins, samplesIn } from './probe-spans.js';
import { judgeProbes, type JudgeReport, type JudgeSide } from './probes.js';

/**
 * The judge's section of an experiment record: null when nothing was
 * injected or no fault-window sample was taken. Each probe (declared, or the
 * defaults) is judged at each of its `when`s (see probeSpanBins). With
 * paired controls (judge.controls: paired), the control is the paired control
 * replicas over the same span (in the treated backend's batch, or in their
 * own run for a fault on what replicas share); with baseline controls it is
 * the treated replicas over the baseline before injection.
 */
export function judgeExperiment(state: ExperimentState): JudgeReport | null {
  const { scenario, spec, backend } = state.ctx;
  const faultSamples = state.samples.filter((s) => s.phase === 'fault');
  const baselineSamples = state.samples.filter((s) => s.phase === 'baseline');
  if (state.injectedAtStep === null || !faultSamples.length || !baselineSamples.length) return null;
  const j = scenario.judge;
  const dt = state.dtMs;
  const binOf = (step: number) => Math.floor(step / state.activity.binSteps);
  const stepOfMs = (ms: number) => Math.round(ms / dt);
  const observationEndStep = stepOfMs(faultSamples[faultSamples.length - 1].tMs);
  const paired = state.controls.length > 0;
  const baselineFromStep = stepOfMs(baselineSamples[0].tMs - state.durations.monitorIntervalMs);
  const spanBins = probeSpanBins(
    {
      baselineFromBin: binOf(baselineFromStep),
      injectedBin: binOf(state.injectedAtStep),
      faultEndBin: state.faultEndStep === null ? null : binOf(state.faultEndStep),
      observationEndBin: binOf(observationEndStep),
      lastBin: binOf(stepOfMs(state.samples[state.samples.length - 1].tMs)),
    },
    paired,
  );
  const binMs = state.activity.binSteps * dt;
  // Spike trains per replica, read once: the treated backend's, and the control arm's (the same backend for same-batch controls).
  const trains = (b: typeof backend) => {
    const cache = new Map<number, Int32Array>();
    return (r: number) => cache.get(r) ?? cache.set(r, b.recorder.stores[r].toPairs()).get(r)!;
  };
  const treatedSpikes = trains(backend);
  const controlSpikes = paired && state.arm.backend !== backend ? trains(state.arm.backend) : treatedSpikes;
  const side = (replicas: readonly number[], bins: [number, number], samples: typeof state.samples, control: boolean): JudgeSide =>
    control && paired ? { activity: state.arm.activity, replicas, bins, samples, spikes: controlSpikes } : { activity: state.activity, replicas, bins, samples, spikes: treatedSpikes };
  const spans: Parameters<typeof judgeProbes>[0]['spans'] = {};
  for (const when of PROBE_WHEN) {
    const s = spanBins[when];
    if (!s) continue;
    // Non-finite state is sampled on the watched replicas only: its control is the baseline.
    const controlSamples = paired || when !== 'before' ? baselineSamples : samplesIn(baselineSamples, s.control[0] * binMs, s.control[1] * binMs, state.durations.monitorIntervalMs);
    spans[when] = {
      control: side(paired ? state.controls : state.watched, s.control, when === 'before' && paired ? [] : controlSamples, true),
      treated: side(state.watched, s.treated, samplesIn(state.samples, s.treated[0] * binMs, s.treated[1] * binMs, state.durations.monitorIntervalMs), false),
    };
  }
  const probes = judgeProbes({
    probes: experimentProbes(scenario, spec, backend.network.populations.map((p) => p.name)),
    spans,
    populations: backend.network.populations,
    binSteps: state.activity.binSteps,
    dtMs: dt,
    pairs: paired ? state.controls.slice(0, state.watched.length).map((c, k) => [c, state.watched[k]] as const) : [],
    pairingBins: paired ? [binOf(baselineFromStep), binOf(state.injectedAtStep)] : null,
    alpha: j.alpha,
    minExpectedSpikes: j.minExpectedSpikes,
    seedKey: `${scenario.seed}:judge:${spec.id}`,
  });
  const during = spanBins.during ?? { control: [0, 0], treated: [0, 0] };
  return {
    controls: paired ? 'replicas' : 'baseline',
    minEffect: j.tolerance.relative,
    alpha: j.alpha,
    minExpectedSpikes: j.minExpectedSpikes,
    controlSpanMs: [during.control[0] * binMs, during.control[1] * binMs],
    treatedSpanMs: [during.treated[0] * binMs, during.treated[1] * binMs],
    probes,
  };
}
