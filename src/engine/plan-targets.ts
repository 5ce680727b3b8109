import type { FaultSpec } from '../chaos/fault-spec.js';
import type { FaultTargets } from '../chaos/fault.js';
import { faultKindOf, refuseEmptyScope } from '../chaos/fault-kinds.js';
import type { PlanContext } from '../chaos/kind-descriptor.js';
import type { Network } from '../model/network.js';

/** What planning knows about the run beyond the network (see PlanContext). */
export interface PlanScope {
  /** The scenario's recording mode and folder: a disk fault with nothing to write to is refused. */
  outputs?: PlanContext['outputs'];
  /** Prefix of the fields errors name. @defaultValue `fault` */
  root?: string;
}

/**
 * The targets a fault will hit, resolved exactly as injection will resolve
 * them (same streams), without touching any simulation: for dry runs and for
 * the engine before it simulates. Each kind plans its own (see its
 * descriptor in src/chaos/kinds/); a string says what only injection can
 * resolve. A fault that would act on nothing (no synapses in its scope, no
 * output to fault, a parameter that changes nothing) is an InputError naming
 * the field and the reason.
 */
export function planTargets(spec: FaultSpec, id: string, network: Network, batch: number, workers: number, seed: number, scope: PlanScope = {}): FaultTargets | string {
  const plan: PlanContext = { network, batch, workers, seed, root: scope.root ?? 'fault', outputs: scope.outputs };
  const kind = faultKindOf(spec.kind);
  // Scope first (it names an unknown population as such): a fault that acts on nothing is refused for that, by name.
  refuseEmptyScope(spec, plan, id);
  return kind.planTargets(spec, id, plan);
}
