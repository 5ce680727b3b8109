import { createBackend, DEFAULT_BACKEND, prepareBackend } from '../backends/create-backend.js';
import { buildNetworkAsync } from '../model/builder.js';
import { InterruptedError } from '../util/errors.js';
import type { SimulationBackend } from '../backends/backend.js';
import { resolveModel } from '../model/resolve-model.js';
import { formatSeconds } from './progress-line.js';
import type { CheckedScenario } from './scenario-check.js';

/** Wall time the calibration simulates for at least (after a warm-up of CALIBRATION_WARM_STEPS), and its step cap. */
export const CALIBRATION_WALL_MS = 500;
export const CALIBRATION_WARM_STEPS = 100;
export const CALIBRATION_MAX_STEPS = 20000;

/**
 * `run --dry-run`'s wall-time estimate per experiment: builds the scenario's
 * network on its backend, simulates it unfaulted for about half a second of
 * wall time (after a warm-up), and divides each experiment's planned
 * simulated ms by the measured simulated ms per wall second. An estimate:
 * a fault can slow the simulation (a storm) and a recovery found early ends
 * a run before its planned time; network builds and checks come on top.
 * Never throws but InterruptedError (Ctrl-C during the build or the
 * calibration runs): a backend
 * that cannot run here gives "not estimated" and why.
 */
export async function wallEstimates(c: CheckedScenario, plannedMs: number[]): Promise<{ perExperiment: string[]; note: string; simMsPerWallSecond: number | null }> {
  const s = c.scenario;
  const opts = c.engine.options;
  let backend: Awaited<ReturnType<typeof createBackend>>['backend'] | null = null;
  try {
    const m = s.model;
    const seed = opts.seed ?? s.seed;
    const network = await buildNetworkAsync(resolveModel({ model: m.name, scale: m.scale, kScale: m.kScale, background: m.background }), { seed, dtMs: s.dtMs, signal: opts.signal });
    const prepared = await prepareBackend({ backend: opts.backend ?? s.backend ?? DEFAULT_BACKEND });
    const name = prepared.backend ?? DEFAULT_BACKEND;
    ({ backend } = createBackend(network, { ...prepared, workers: c.engine.workerThreadsOf(name), batch: s.batch, seed, precision: opts.precision ?? s.precision }));
    const { steps, rate } = await calibrate(backend, s.dtMs, opts.signal);
    return {
      perExperiment: plannedMs.map((ms) => `about ${formatSeconds(ms / rate)}`),
      note: `wall-time estimate: ${rate.toFixed(0)} simulated ms per wall second, measured over ${steps} unfaulted steps of this network on the ${name} backend here; a fault can slow it, an early recovery shortens it, network builds add to it`,
      simMsPerWallSecond: rate,
    };
  } catch (e) {
    // Ctrl-C stops the dry run (exit 130), as it stops a run.
    if (e instanceof InterruptedError) throw e;
    const why = e instanceof Error ? e.message.split('\n')[0] : String(e);
    return { perExperiment: plannedMs.map(() => 'not estimated'), note: `wall time not estimated: ${why}`, simMsPerWallSecond: null };
  } finally {
    await backend?.dispose().catch(() => undefined);
  }
}

/**
 * Simulates `backend` unfaulted, CALIBRATION_WARM_STEPS of warm-up and then
 * chunks of 100 steps for CALIBRATION_WALL_MS of wall time (at most
 * CALIBRATION_MAX_STEPS), and returns the steps timed and the simulated ms
 * per wall second.
 * @throws InterruptedError (phase `estimate`) when `signal` is aborted: a run stops at its next chunk
 */
export async function calibrate(backend: SimulationBackend, dtMs: number, signal?: AbortSignal): Promise<{ steps: number; rate: number }> {
  const interrupted = () => new InterruptedError('estimate', 'interrupted while estimating the wall time: nothing was run', { cause: signal?.reason });
  if ((await backend.run(CALIBRATION_WARM_STEPS, { signal })).interrupted) throw interrupted();
  const t0 = performance.now();
  let steps = 0;
  const chunk = 100;
  while (performance.now() - t0 < CALIBRATION_WALL_MS && steps < CALIBRATION_MAX_STEPS) {
    if ((await backend.run(chunk, { signal })).interrupted) throw interrupted();
    steps += chunk;
  }
  return { steps, rate: (steps * dtMs * 1000) / (performance.now() - t0) };
}
