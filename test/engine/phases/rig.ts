import { ReferenceBackend } from '../../../src/backends/reference-backend.js';
import { ChaosController } from '../../../src/chaos/chaos-controller.js';
import type { ActiveFault } from '../../../src/chaos/fault.js';
import { runExperiment } from '../../../src/engine/experiment-runner.js';
import type { ExperimentRecord } from '../../../src/engine/journal.js';
import { validateScenario } from '../../../src/engine/load-scenario.js';
import type { RunOptions, RunOutcome, SimulationBackend } from '../../../src/backends/backend.js';
import { pairedLayout } from '../../../src/engine/paired-controls.js';
import { Allocator } from '../../../src/memory/allocator.js';
import { buildNetwork } from '../../../src/model/builder.js';
import { resolveModel } from '../../../src/model/resolve-model.js';

/** A small scenario on the CUBA network (800 neurons at scale 0.2), reference backend. */
export const BASE = {
  title: 'phases test',
  seed: 5,
  model: { name: 'cuba', scale: 0.2 },
  backend: 'cpu',
  defaults: { warmupMs: 20, baselineMs: 100, monitorIntervalMs: 10, holdMs: 20 },
};

/**
 * A controller that counts: final rollbacks (stopAll calls), stop() calls on
 * every fault it injected, and can make the simulation fail with an error once
 * `failAfterRuns` runs have gone by after an injection.
 */
export class CountingChaos extends ChaosController {
  stopAllCalls = 0;
  stopCalls = 0;
  injected: ActiveFault[] = [];
  runsSinceInjection = 0;
  failAfterRuns: number | null = null;

  override async injectPlanned(spec: unknown): Promise<ActiveFault> {
    const f = await super.injectPlanned(spec);
    const stop = f.stop.bind(f);
    (f as { stop: () => Promise<void> }).stop = () => {
      this.stopCalls++;
      return stop();
    };
    this.injected.push(f);
    return f;
  }

  override async run(steps: number, options?: RunOptions): Promise<RunOutcome> {
    if (this.injected.length && this.failAfterRuns !== null && ++this.runsSinceInjection > this.failAfterRuns) throw new Error('simulated backend failure');
    return super.run(steps, options);
  }

  override async stopAll() {
    this.stopAllCalls++;
    return super.stopAll();
  }
}

export interface RigOptions {
  signal?: AbortSignal;
  /** Told of progress, with the treated backend and the separate control backend if any (a test may reach into their state between intervals). */
  onProgress?: (backends: { treated: SimulationBackend; control?: SimulationBackend }, doneMs: number, totalMs: number, phase: string) => void;
  failAfterRuns?: number;
  guards?: boolean;
}

/** Runs one experiment of `raw` (a scenario object) on fresh reference backends (its paired controls' too) through a CountingChaos. */
export async function runCounted(raw: object, o: RigOptions = {}): Promise<{ record: ExperimentRecord; chaos: CountingChaos }> {
  const scenario = validateScenario(raw);
  const m = scenario.model;
  // The replicas as the engine lays them out: paired controls in the batch (per-replica faults) or in a run of their own.
  const layout = pairedLayout(scenario, scenario.experiments[0]);
  const build = (batch: number) => {
    const network = buildNetwork(resolveModel({ model: m.name, scale: m.scale, kScale: m.kScale, background: m.background }), { seed: scenario.seed, dtMs: scenario.dtMs });
    const allocator = new Allocator();
    const backend = new ReferenceBackend(network, { allocator, batch, noiseStreams: layout.noiseStreams, seed: scenario.seed, guards: { enabled: o.guards ?? scenario.defences.guards } });
    return { backend, allocator };
  };
  const { backend, allocator } = build(layout.batch);
  const control = layout.controlBatch === null ? undefined : build(layout.controlBatch);
  const chaos = new CountingChaos(backend, { seed: scenario.seed, allocator });
  chaos.failAfterRuns = o.failAfterRuns ?? null;
  try {
    const record = await runExperiment({ scenario, spec: scenario.experiments[0], index: 0, backend, allocator, layout, control, timeScale: 1, signal: o.signal, onProgress: o.onProgress?.bind(null, { treated: backend, control: control?.backend }), chaos });
    return { record, chaos };
  } finally {
    await backend.dispose();
    await control?.backend.dispose();
  }
}
