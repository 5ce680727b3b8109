import type { ExperimentStatus } from '../journal.js';
import { sampleMetrics, type MetricSample } from '../metrics.js';
import type { ExperimentState } from './experiment-state.js';
import { roundedSteps } from '../../util/time-steps.js';

/** Raised inside the lifecycle to end it early with a status (a signal, the circuit breaker). */
export class EndEarly extends Error {
  constructor(readonly status: ExperimentStatus, reason: string) {
    super(reason);
  }
}

const INTERRUPTED = 'interrupted by a signal (SIGINT/SIGTERM)';

export interface AdvanceOptions {
  /** Called after each sample with the step it started at; returning true ends the advance early. */
  onSample?: (s: MetricSample, fromStep: number) => void | boolean;
  /** A step inside the advance at which to pause and call `atPause` (the chunk is split there; samples stay as they were). */
  pauseAtStep?: number | null;
  atPause?: () => void;
}

/**
 * Advances the simulation `simMs` through the chaos controller (so scheduled
 * stops happen at their step), one monitor interval at a time, a separate
 * control run (paired controls of a shared fault) in lockstep: checks the
 * signal between intervals, feeds the recording, reports progress and, outside
 * the warm-up, takes a metric sample per interval (and the treated-minus-control
 * rate difference in the fault window). Throws EndEarly on a signal.
 * @returns true when `onSample` ended it early
 */
export async function advance(state: ExperimentState, simMs: number, phase: MetricSample['phase'] | 'warmup', options: AdvanceOptions = {}): Promise<boolean> {
  const { backend, allocator, signal } = state.ctx;
  const until = backend.currentStep + roundedSteps(simMs, state.dtMs, `${phase} time`, { minSteps: 0 });
  let pauseAt = options.pauseAtStep ?? null;
  const pauseIfDue = () => {
    if (pauseAt !== null && pauseAt <= backend.currentStep) {
      pauseAt = null;
      options.atPause?.();
    }
  };
  pauseIfDue();
  while (backend.currentStep < until) {
    if (signal?.aborted) throw new EndEarly('interrupted', INTERRUPTED);
    const from = backend.currentStep;
    const n = Math.min(state.intervalSteps, until - from);
    const w = performance.now();
    let interrupted = false;
    if (pauseAt !== null && pauseAt < from + n) {
      interrupted = (await state.chaos.run(pauseAt - from, { signal })).interrupted;
      if (!interrupted) {
        pauseIfDue();
        interrupted = (await state.chaos.run(from + n - backend.currentStep, { signal })).interrupted;
      }
    } else interrupted = (await state.chaos.run(n, { signal })).interrupted;
    if (!interrupted) pauseIfDue();
    // A separate control run follows in lockstep, one interval behind at most (its spikes are read per interval).
    // Its time is left out of the interval's wall time, which is the treated run's.
    const c = performance.now();
    if (!interrupted) interrupted = await state.arm.catchUp(backend.currentStep, signal);
    const controlWall = performance.now() - c;
    state.recording?.advance(backend.currentStep);
    if (interrupted) throw new EndEarly('interrupted', INTERRUPTED);
    const wall = performance.now() - w - controlWall;
    state.ctx.onProgress?.(backend.currentStep * state.dtMs, state.totalMs, phase);
    if (phase === 'warmup') continue;
    const s = sampleMetrics(backend, state.activity, allocator, state.watched, from, backend.currentStep, wall, performance.now() - state.t0, phase);
    if (state.recording) {
      s.recordingBacklogBytes = state.recording.backlogBytes;
      s.recordingBacklogBoundBytes = state.recording.backlogBoundBytes;
    }
    state.samples.push(s);
    state.controlSample = null;
    if (state.controls.length && phase === 'fault') {
      const c = sampleMetrics(state.arm.backend, state.arm.activity, state.arm.allocator, state.controls, from, backend.currentStep, wall, 0, phase);
      state.treatedMinusControl.push(networkRate(state, s) - networkRate(state, c));
      state.controlSample = c;
    }
    if (options.onSample?.(s, from) === true) return true;
  }
  return false;
}

/** Mean rate over every neuron of the network, from a sample's population rates (Hz). */
function networkRate(state: ExperimentState, s: MetricSample): number {
  const net = state.ctx.backend.network;
  let spikesPerS = 0;
  for (const p of net.populations) spikesPerS += s.ratesHz[p.name] * p.size;
  return spikesPerS / net.neuronCount;
}
