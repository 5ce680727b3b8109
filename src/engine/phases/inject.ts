import type { ActiveFault } from '../../chaos/fault.js';
import { planFault } from '../fault-plan.js';
import type { ExperimentState } from './experiment-state.js';
import { scheduledEndStep } from './fault-window.js';
import { activityStep } from './journal-steps.js';

/**
 * Inject: checks that every paired control is bit-identical to its treated
 * replica (a difference is an internal error: the experiment fails and
 * nothing is injected), plans the scenario's fault (aliases, time scale,
 * treated replicas) and puts it into effect through the controller.
 */
export async function inject(state: ExperimentState): Promise<void> {
  const { spec, index, timeScale, backend } = state.ctx;
  const faultSpec = planFault(spec.fault, timeScale, state.treated, `experiments[${index}].fault`);
  await activityStep(state, 'inject', async () => {
    state.arm.assertIdentical(backend);
    const f = await state.chaos.injectPlanned({ ...faultSpec, id: faultSpec.id ?? spec.id });
    state.fault = f;
    state.injectedAtStep = f.injectedAtStep;
    state.scheduledEndStep = scheduledEndStep(f, state.dtMs);
    const l = state.arm.layout;
    return {
      id: f.id,
      kind: f.kind,
      targets: summarizeTargets(f.targets),
      scheduledEndMs: state.scheduledEndStep === null ? null : state.scheduledEndStep * state.dtMs,
      controls: { mode: l.mode, trials: l.trials, run: l.controlRun, treated: l.treated, controls: l.controls, identicalBeforeInjection: state.arm.paired ? true : null },
    };
  });
}

/** Targets as the journal keeps them: every neuron, replica and worker; synapses counted with a sample. */
export function summarizeTargets(t: ActiveFault['targets']): ActiveFault['targets'] {
  return { ...t, neurons: t.neurons ? [...t.neurons] : undefined };
}
