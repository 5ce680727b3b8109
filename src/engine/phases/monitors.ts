import type { MetricSample } from '../metrics.js';
import { EndEarly } from './advance.js';
import type { ExperimentState } from './experiment-state.js';

/** Runs the alert rules on a sample of the fault or recovery window, with what the scrubber and the recorder reported since the last one. */
export function watchAlerts(state: ExperimentState, s: MetricSample): void {
  const { backend } = state.ctx;
  const now = backend.scrubber ? backend.scrubber.stats.blocksDetected : 0;
  const found = now - state.scrubSeen;
  state.scrubSeen = now;
  const lost = (state.recording?.spikesLostSoFar ?? 0) - state.lostSeen;
  state.lostSeen += lost;
  for (const a of state.monitor.evaluate(s, state.bands, { scrubberFindings: found, spikesLost: lost })) {
    state.alerts.push(a);
    state.ctx.onAlert?.(a);
  }
}

/**
 * The circuit breaker: `abort.consecutive` failing samples in a row (non-finite
 * state above its fraction, memory or wall time above their limits) end the
 * experiment as `aborted`.
 * @throws EndEarly when it trips
 */
export function circuitBreaker(state: ExperimentState, s: MetricSample): void {
  const a = state.ctx.scenario.abort;
  const fraction = s.nonFinite / (state.ctx.backend.network.neuronCount * state.watched.length);
  const failing = fraction > a.maxNonFiniteFraction || (a.maxMemoryBytes !== undefined && s.memoryBytes > a.maxMemoryBytes) || (a.maxWallMs !== undefined && s.wallMs > a.maxWallMs);
  state.breakerCount = failing ? state.breakerCount + 1 : 0;
  if (state.breakerCount >= a.consecutive) throw new EndEarly('aborted', `circuit breaker: ${a.consecutive} failing samples in a row (non-finite ${(fraction * 100).toFixed(2)}%, memory ${s.memoryBytes} B, wall ${s.wallMs.toFixed(0)} ms)`);
}
