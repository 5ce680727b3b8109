import { scenarioBackendOptions } from '../engine/defence-options.js';
import type { SimulationBackend } from '../backends/backend.js';
import { createBackend } from '../backends/create-backend.js';
import { ChaosEngine } from '../engine/chaos-engine.js';
import type { PairedLayout } from '../engine/paired-controls.js';
import type { Scenario } from '../engine/scenario-schema.js';
import { Allocator } from '../memory/allocator.js';
import { buildNetwork } from '../model/builder.js';
import type { NetworkSpec } from '../model/spec.js';
import { contentHash } from './canonical-json.js';

/**
 * The unfaulted twin of a job's experiment: the same network, seed, backend
 * and defences, and the treated backend's replica layout (`layout.batch`
 * replicas drawing `layout.noiseStreams`: replica b of both runs shares its
 * Poisson drive), run plainly (no fault, no monitors). Every step is
 * deterministic, so its spikes are what the faulted run's spikes would have
 * been without the fault, replica by replica; spike measures compare the
 * treated replicas of the two. The backend options mirror ChaosEngine.run's;
 * the job checks that the two runs agree spike for spike before the
 * injection, and says so when they do not.
 */
export class ReferenceRun {
  private constructor(readonly key: string, readonly backend: SimulationBackend) {}

  /** Jobs that differ only in their fault share a reference run, unless the fault's kind lays the replicas out differently. */
  static key(scenario: Scenario, spec: NetworkSpec, layout: Pick<PairedLayout, 'batch' | 'noiseStreams'>): string {
    const { experiments: _e, title: _t, description: _d, ...rest } = scenario;
    return contentHash({ rest, spec, batch: layout.batch, noiseStreams: layout.noiseStreams });
  }

  static create(scenario: Scenario, spec: NetworkSpec, backendName: string, layout: Pick<PairedLayout, 'batch' | 'noiseStreams'>, build: typeof buildNetwork = buildNetwork): ReferenceRun {
    const engine = new ChaosEngine(scenario, { backend: backendName });
    const network = build(spec, { seed: scenario.seed, dtMs: scenario.dtMs });
    const { backend } = createBackend(network, {
      backend: backendName,
      workers: engine.workerThreadsOf(backendName),
      batch: layout.batch,
      noiseStreams: layout.noiseStreams,
      seed: scenario.seed,
      allocator: new Allocator(),
      ...scenarioBackendOptions(scenario),
    });
    return new ReferenceRun(ReferenceRun.key(scenario, spec, layout), backend);
  }

  /** Per replica, (step, neuron) pairs of every spike before `toStep` (runs on as far as needed). */
  async pairsUntil(toStep: number): Promise<Int32Array[]> {
    if (this.backend.currentStep < toStep) await this.backend.run(toStep - this.backend.currentStep);
    return this.backend.recorder.stores.map((s) => s.toPairs());
  }

  dispose(): Promise<void> {
    return this.backend.dispose();
  }
}

/**
 * The last few reference runs of this process, kept: the jobs of a campaign
 * that differ only in their fault share one (a sweep's points, per seed).
 */
export class ReferenceCache {
  private readonly runs: ReferenceRun[] = [];
  constructor(private readonly capacity = 2) {}

  /** The reference run for this job, kept or new; `build` builds its network (buildNetwork, or a pool process's NetworkCache). */
  async get(scenario: Scenario, spec: NetworkSpec, backendName: string, layout: Pick<PairedLayout, 'batch' | 'noiseStreams'>, build: typeof buildNetwork = buildNetwork): Promise<ReferenceRun> {
    const key = ReferenceRun.key(scenario, spec, layout);
    const at = this.runs.findIndex((r) => r.key === key);
    if (at >= 0) {
      const [hit] = this.runs.splice(at, 1);
      this.runs.unshift(hit);
      return hit;
    }
    const run = ReferenceRun.create(scenario, spec, backendName, layout, build);
    this.runs.unshift(run);
    while (this.runs.length > this.capacity) await this.runs.pop()!.dispose();
    return run;
  }

  async clear(): Promise<void> {
    while (this.runs.length) await this.runs.pop()!.dispose();
  }
}
