import type { FaultSpec } from '../chaos/fault-spec.js';
import type { FaultTargets } from '../chaos/fault.js';
import { selectSynapses } from '../chaos/synapse-selection.js';
import { resolveTargets } from '../chaos/targets.js';
import type { Network } from '../model/network.js';
import { StreamRng } from '../util/rng.js';
import { InputError } from '../util/errors.js';

function knownPopulation(network: Network, name: string, field: string): void {
  if (!network.populations.some((p) => p.name === name)) throw new InputError(field, `unknown population "${name}" (known: ${network.populations.map((p) => p.name).join(', ')})`);
}

/**
 * The targets a fault will hit, resolved exactly as injection will resolve
 * them (same streams), without touching any simulation: for dry runs.
 */
export function planTargets(spec: FaultSpec, id: string, network: Network, batch: number, workers: number, seed: number): FaultTargets | string {
  switch (spec.kind) {
    case 'spike-storm':
    case 'neuron-fault': {
      // The storm's ceiling depends on dt, known only with the network: checked here as injection checks it (SpikeStorm).
      if (spec.kind === 'spike-storm') {
        const maxRate = 1000 / network.dtMs;
        if (!(spec.rateHz <= maxRate + 1e-9)) throw new InputError('fault.rateHz', `must be at most 1/dt = ${maxRate} Hz at dt = ${network.dtMs} ms (one event per step per target is the grid's ceiling; got ${spec.rateHz})`);
      }
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
    case 'partition':
      // Names are checked here as injection checks them, so a dry run and the engine refuse bad input before simulating.
      for (const [side, s] of [['from', spec.from], ['to', spec.to]] as const) s.populations?.forEach((name, i) => knownPopulation(network, name, `fault.${side}.populations[${i}]`));
      return 'resolved at injection';
    case 'cascading-failure':
      if (spec.initial.kind !== 'worker-crash') knownPopulation(network, spec.initial.population, 'fault.initial.population');
      return 'resolved at injection';
    default:
      return 'resolved at injection';
  }
}
