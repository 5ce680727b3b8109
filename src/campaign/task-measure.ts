import { scenarioBackendOptions } from '../engine/defence-options.js';
import { createBackend } from '../backends/create-backend.js';
import { ChaosController } from '../chaos/chaos-controller.js';
import { ChaosEngine } from '../engine/chaos-engine.js';
import { planFault } from '../engine/fault-plan.js';
import { pairedLayout } from '../engine/paired-controls.js';
import type { Scenario } from '../engine/scenario-schema.js';
import { Allocator } from '../memory/allocator.js';
import { buildNetwork } from '../model/builder.js';
import type { NetworkSpec } from '../model/spec.js';
import { ColumnTask } from '../task/task-accuracy.js';
import { roundedSteps } from '../util/time-steps.js';
import type { JobTask } from './job.js';
import type { MeasureValue } from './measures.js';

/**
 * Task accuracy of the job's column under its fault (src/task, after
 * liquid-state readouts, Maass et al. 2002): warm up, train a readout on the
 * healthy column, score it on held-out presentations (healthy accuracy), then
 * inject the fault and score the same readout on `testRounds` more
 * presentations of every replica while the fault is held. A simulation of its
 * own, on the job's network, seed, backend and defences, with the experiment's
 * trials as its replicas, each on its own noise stream: the task's control is
 * the same replicas before the fault (the layout of `judge.controls:
 * baseline`), so paired control replicas, which share their treated twin's
 * drive, would only count the same presentations twice.
 *
 * @returns `task.accuracy` and `task.healthy-accuracy` with their counts (correct of presented)
 */
export async function taskAccuracy(scenario: Scenario, spec: NetworkSpec, backendName: string, task: JobTask, build: typeof buildNetwork = buildNetwork): Promise<Record<string, MeasureValue>> {
  const engine = new ChaosEngine(scenario, { backend: backendName });
  const network = build(spec, { seed: scenario.seed, dtMs: scenario.dtMs });
  const e = scenario.experiments[0];
  const layout = pairedLayout({ ...scenario, judge: { ...scenario.judge, controls: 'baseline' } }, { ...e, judge: { ...e.judge, controls: 'baseline' } });
  const allocator = new Allocator();
  const { backend } = createBackend(network, {
    backend: backendName,
    workers: engine.workerThreadsOf(backendName),
    batch: layout.batch,
    noiseStreams: layout.noiseStreams,
    seed: scenario.seed,
    allocator,
    ...scenarioBackendOptions(scenario),
  });
  try {
    const chaos = new ChaosController(backend, { seed: scenario.seed, allocator });
    // Only the options the campaign set: an absent one keeps the task's default (an explicit undefined would replace it).
    const options = Object.fromEntries(Object.entries({ classes: task.classes, inputPopulations: task.inputPopulations, readoutPopulations: task.readoutPopulations }).filter(([, v]) => v !== undefined));
    const columnTask = new ColumnTask(chaos, { seed: scenario.seed, ...options });
    await backend.run(roundedSteps(task.warmupMs, scenario.dtMs, 'task.warmupMs', { minSteps: 0 }));
    const { readout, score } = await columnTask.train({ trainRounds: task.trainRounds, testRounds: task.testRounds });
    const fault = planFault(e.fault, 1, null, 'experiments[0].fault');
    const impact = await columnTask.faultImpact(readout, score.accuracy, { ...fault, id: fault.id ?? e.id }, { testRounds: task.testRounds, adaptationRounds: [] });
    const n = score.testSamples;
    return {
      'task.healthy-accuracy': { value: score.accuracy, count: Math.round(score.accuracy * n), of: n },
      'task.accuracy': { value: impact.faultedAccuracy, count: Math.round(impact.faultedAccuracy * n), of: n },
    };
  } finally {
    await backend.dispose();
  }
}
