import { InputError } from '../../util/errors.js';
import { controlsOf } from '../paired-controls.js';
import { resolveProbes, type ResolvedProbe } from '../probe-schema.js';
import type { ExperimentSpec, Scenario } from '../scenario-schema.js';

/**
 * The probes of one experiment: its own `hypothesis.probes`, else the
 * scenario's, else the defaults (resolveProbes), with the scenario's judge
 * tolerance as the default tolerance. Against baseline controls the
 * active-fraction probes, which compare each neuron with its paired twin,
 * are left out of the defaults, and a declared one is refused.
 * @throws InputError naming the probe's field (`experiments[i].hypothesis.probes[k]...` or `hypothesis.probes[k]...`)
 */
export function experimentProbes(scenario: Pick<Scenario, 'hypothesis' | 'judge' | 'experiments'>, spec: ExperimentSpec, populations: readonly string[]): ResolvedProbe[] {
  const own = spec.hypothesis?.probes;
  const index = scenario.experiments.indexOf(spec);
  const field = own ? `experiments[${index < 0 ? 0 : index}].hypothesis.probes` : 'hypothesis.probes';
  const probes = resolveProbes(own ?? scenario.hypothesis?.probes, populations, scenario.judge.tolerance.relative, field);
  if (controlsOf(scenario, spec) === 'paired') return probes;
  const declared = probes.findIndex((p) => p.declared && p.metric === 'active-fraction');
  if (declared >= 0) {
    const where = spec.judge?.controls === 'baseline' ? `experiments[${index < 0 ? 0 : index}].judge.controls` : 'judge.controls';
    throw new InputError(`${field}[${declared}].metric`, `active-fraction compares each neuron with its paired twin: it needs judge.controls paired (${where} is baseline)`);
  }
  return probes.filter((p) => p.declared || p.metric !== 'active-fraction');
}
