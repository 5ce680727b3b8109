import type { FaultSpec } from '../chaos/fault-spec.js';
import type { FaultTargets } from '../chaos/fault.js';
import { selectSynapses } from '../chaos/synapse-selection.js';
import { resolveTargets } from '../chaos/targets.js';
import type { Network } from '../model/network.js';
import { StreamRng } from '../util/rng.js';

/**
 * The targets a fault will hit, resolved exactly as injection will resolve
 * them (same streams), without touching any simulation: for dry runs.
 */
export function planTargets(spec: FaultSpec, id: string, network: Network, batch: number, workers: number, seed: number): FaultTargets | string {
  switch (spec.kind) {
    case 'spike-storm':
    case 'neuron-fault': {
      const t = resolveTargets(network, batch, spec.target, `${seed}:fault:${id}:targets`, 'fault.target');
      return { neurons: [...t.neurons], replicas: t.replicas };
    }
    case 'weight-corruption': {
      const { indices } = selectSynapses(network, spec.source, spec.target, spec.fraction, `${seed}:fault:${id}:synapses`, 'fault');
      return { synapses: indices.length, synapseSample: [...indices.subarray(0, 16)] };
    }
    case 'worker-crash':
    case 'worker-stall':
      return { worker: spec.worker ?? new StreamRng(`${seed}:fault:${id}:worker`).below(workers) };
    case 'cpu-stress':
      return { threads: spec.threads };
    default:
      return 'resolved at injection';
  }
}
