import type { ExperimentState } from '../phases/experiment-state.js';
import { judgeProbes, type JudgeReport } from './probes.js';

/**
 * The judge's section of an experiment record: null when nothing was
 * injected or no fault-window sample was taken. Treated windows span the
 * fault while it acted inside the observation (injection to its end, or to
 * the observation's last sample). With paired controls (judge.controls:
 * paired), the control is the paired control replicas over the same span (in
 * the treated backend's batch, or in their own run for a fault on what
 * replicas share); with baseline controls it is the treated replicas over
 * the baseline before injection.
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
  const treatedEndStep = Math.min(observationEndStep, state.faultEndStep ?? observationEndStep);
  const treatedBins: [number, number] = [binOf(state.injectedAtStep), binOf(treatedEndStep)];
  const paired = state.controls.length > 0;
  const baselineFromStep = stepOfMs(baselineSamples[0].tMs - state.durations.monitorIntervalMs);
  const controlBins: [number, number] = paired ? treatedBins : [binOf(baselineFromStep), binOf(state.injectedAtStep)];
  const treatedSamples = faultSamples.filter((s) => stepOfMs(s.tMs) <= treatedEndStep + state.intervalSteps);
  const probes = judgeProbes({
    activity: state.activity,
    controlActivity: paired ? state.arm.activity : undefined,
    populations: backend.network.populations,
    dtMs: dt,
    controlReplicas: paired ? state.controls : state.watched,
    treatedReplicas: state.watched,
    controls: paired ? 'replicas' : 'baseline',
    controlBins,
    treatedBins,
    controlSamples: baselineSamples,
    treatedSamples,
    minEffect: j.tolerance.relative,
    alpha: j.alpha,
    minExpectedSpikes: j.minExpectedSpikes,
    seedKey: `${scenario.seed}:judge:${spec.id}`,
  });
  const binMs = state.activity.binSteps * dt;
  return {
    controls: paired ? 'replicas' : 'baseline',
    minEffect: j.tolerance.relative,
    alpha: j.alpha,
    minExpectedSpikes: j.minExpectedSpikes,
    controlSpanMs: [controlBins[0] * binMs, controlBins[1] * binMs],
    treatedSpanMs: [treatedBins[0] * binMs, treatedBins[1] * binMs],
    probes: probes.map((p) => ({ ...p, windowMs: p.windowMs === null ? null : p.windowMs * binMs })),
  };
}
