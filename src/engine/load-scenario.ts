import { readFileSync, statSync } from 'node:fs';
import { parseUserYaml } from '../io/parse-yaml.js';
import { InputError } from '../util/errors.js';
import { checkNesting } from '../util/nesting-guard.js';
import { toInputError } from '../util/zod-errors.js';
import { scenarioSchema, type Scenario } from './scenario-schema.js';
import { checkScenarioTimes } from './scenario-times.js';

export const MAX_SCENARIO_BYTES = 4 * 1024 * 1024;

/** Validates an untrusted scenario object; errors name the field (`scenario.experiments[0].observationMs`). */
export function validateScenario(input: unknown, root = 'scenario'): Scenario {
  const parsed = scenarioSchema.safeParse(input);
  if (!parsed.success) throw toInputError(parsed.error, root, input);
  const ids = new Set<string>();
  parsed.data.experiments.forEach((e, i) => {
    if (ids.has(e.id)) throw new InputError(`${root}.experiments[${i}].id`, `duplicate experiment id "${e.id}"`);
    ids.add(e.id);
  });
  if (parsed.data.controls !== undefined) {
    throw new InputError(`${root}.controls`, 'is replaced by judge.controls (paired | baseline) and judge.trials (paired trials): controls are no longer a count of unfaulted replicas but a counterfactual twin of each treated one; see docs/verdicts.md');
  }
  if (parsed.data.batch !== undefined && parsed.data.judge.trials !== undefined) {
    throw new InputError(`${root}.batch`, 'is deprecated and cannot be given beside judge.trials (which replaces it); remove batch');
  }
  checkScenarioTimes(parsed.data, root, input);
  return parsed.data;
}

/** Reads a YAML (or JSON) scenario file. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError('scenario', `"${path}" is not a file`);
    if (st.size > MAX_SCENARIO_BYTES) throw new InputError('scenario', `"${path}" is ${st.size} bytes; the most is ${MAX_SCENARIO_BYTES}`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('scenario', `cannot read "${path}" (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  checkNesting(text, 'scenario', `"${path}"`);
  let data: unknown;
  try {
    data = parseUserYaml(text);
  } catch (e) {
    throw new InputError('scenario', `"${path}" is not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  return validateScenario(data, path);
}
