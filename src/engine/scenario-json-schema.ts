import { zodToJsonSchema } from 'zod-to-json-schema';
import { faultSpecSchema } from '../chaos/fault-spec.js';
import { scenarioSchema } from './scenario-schema.js';

/**
 * The published JSON Schema of scenario files (scenarios/scenario.schema.json),
 * with the fault field described by the chaos layer's fault schemas (spike
 * storms also accept amplitudePa / amplitudeMv in scenarios).
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  const schema = zodToJsonSchema(scenarioSchema, { name: 'Scenario', $refStrategy: 'none' }) as Record<string, unknown>;
  const fault = zodToJsonSchema(faultSpecSchema, { $refStrategy: 'none' }) as Record<string, unknown>;
  delete fault.$schema;
  const defs = (schema.definitions as Record<string, Record<string, unknown>>).Scenario;
  const experiments = (defs.properties as Record<string, Record<string, unknown>>).experiments;
  const item = experiments.items as Record<string, Record<string, unknown>>;
  item.properties.fault = { description: 'A fault spec: see the fault kinds. Spike storms in scenarios also take amplitudePa or amplitudeMv.', ...fault };
  return { title: 'neurochaos scenario', ...schema };
}
