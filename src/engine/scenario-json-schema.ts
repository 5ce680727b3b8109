import { zodToJsonSchema } from 'zod-to-json-schema';
import { faultSpecSchema } from '../chaos/fault-spec.js';
import { scenarioSchema } from './scenario-schema.js';

type JsonSchema = Record<string, unknown>;

const requires = (field: string): JsonSchema => ({ required: [field] });
const none = (...fields: string[]): JsonSchema => ({ not: { anyOf: fields.map(requires) } });

/**
 * The spike-storm branch as scenarios write it (see planFault in
 * fault-plan.ts): the amplitude is given exactly one way, `amplitude` (with
 * an optional `unit`), `amplitudePa` or `amplitudeMv`; an alias carries its
 * unit, so `unit` beside it is refused, as the parser refuses it.
 */
function scenarioStormBranch(branch: JsonSchema): JsonSchema {
  const properties = branch.properties as Record<string, JsonSchema>;
  const amplitude = properties.amplitude;
  const { amplitude: _a, unit: _u, ...rest } = properties;
  const required = (branch.required as string[]).filter((f) => f !== 'amplitude');
  return {
    ...branch,
    properties: {
      ...rest,
      amplitude: { ...amplitude, description: 'Event amplitude in `unit` (pA into the input ring, mV onto the membrane).' },
      unit: properties.unit,
      amplitudePa: { ...amplitude, description: 'Event amplitude in pA (input ring); instead of amplitude and unit.' },
      amplitudeMv: { ...amplitude, description: 'Event amplitude in mV (membrane); instead of amplitude and unit.' },
    },
    required,
    oneOf: [
      { ...requires('amplitude'), ...none('amplitudePa', 'amplitudeMv') },
      { ...requires('amplitudePa'), ...none('amplitude', 'amplitudeMv', 'unit') },
      { ...requires('amplitudeMv'), ...none('amplitude', 'amplitudePa', 'unit') },
    ],
  };
}

/**
 * The published JSON Schema of scenario files (scenarios/scenario.schema.json,
 * written by `npm run schema`): the zod scenario schema with the fault field
 * described by the chaos layer's fault schemas, in the language the YAML
 * loader accepts (spike storms also take amplitudePa or amplitudeMv). It
 * describes each field's type and range; checks that need the model (known
 * populations, synapses in scope) or span fields (unique experiment ids,
 * controls below batch) are `neurochaos validate`'s.
 */
export function scenarioJsonSchema(): JsonSchema {
  const schema = zodToJsonSchema(scenarioSchema, { name: 'Scenario', $refStrategy: 'none' }) as JsonSchema;
  const fault = zodToJsonSchema(faultSpecSchema, { $refStrategy: 'none' }) as JsonSchema;
  delete fault.$schema;
  const branchesKey = Array.isArray(fault.anyOf) ? 'anyOf' : 'oneOf';
  const branches = fault[branchesKey] as JsonSchema[];
  fault[branchesKey] = branches.map((b) => (((b.properties as Record<string, JsonSchema>).kind?.const === 'spike-storm') ? scenarioStormBranch(b) : b));
  const defs = (schema.definitions as Record<string, JsonSchema>).Scenario;
  const experiments = (defs.properties as Record<string, JsonSchema>).experiments;
  const item = experiments.items as Record<string, Record<string, unknown>>;
  item.properties.fault = { description: 'A fault spec: see the fault kinds. Spike storms in scenarios also take amplitudePa or amplitudeMv.', ...fault };
  return { title: 'neurochaos scenario', ...schema };
}
