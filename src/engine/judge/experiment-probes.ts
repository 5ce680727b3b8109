import { resolveProbes, type ResolvedProbe } from '../probe-schema.js';
import type { ExperimentSpec, Scenario } from '../scenario-schema.js';

/**
 * The probes of one experiment: its own `hypothesis.probes`, else the
 * scenario's, else the defaults (resolveProbes), with the scenario's judge
 * tolerance as the default tolerance.
 * @throws InputError naming the probe's field (`experiments[i].hypothesis.probes[k]...` or `hypothesis.probes[k]...`)
 */
export function experimentProbes(scenario: Pick<Scenario, 'hypothesis' | 'judge' | 'experiments'>, spec: ExperimentSpec, populations: readonly string[]): ResolvedProbe[] {
  const own = spec.hypothesis?.probes;
  const index = scenario.experiments.indexOf(spec);
  const field = own ? `experiments[${index < 0 ? 0 : index}].hypothesis.probes` : 'hypothesis.probes';
  return resolveProbes(own ?? scenario.hypothesis?.probes, populations, scenario.judge.tolerance.relative, field);
}
