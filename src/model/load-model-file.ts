import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { parseUserYaml } from '../io/parse-yaml.js';
import { InputError } from '../util/errors.js';
import { checkNesting } from '../util/nesting-guard.js';
import type { NetworkSpec } from './spec.js';
import { validateNetworkSpec } from './spec-schema.js';

export const MAX_MODEL_FILE_BYTES = 16 * 1024 * 1024;

/** Reads a user-defined model from YAML or JSON and validates it; errors name the file and field. */
export function loadModelFile(path: string, field = '--model'): NetworkSpec {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new InputError(field, `"${path}" is not a file`);
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(field, `cannot read model file "${path}" (${(e as NodeJS.ErrnoException).code ?? String(e)}); built-in models: microcircuit, cuba`);
  }
  if (size > MAX_MODEL_FILE_BYTES) throw new InputError(field, `model file "${path}" is ${size} bytes; the most is ${MAX_MODEL_FILE_BYTES}`);
  const text = readFileSync(path, 'utf8');
  const ext = extname(path).toLowerCase();
  checkNesting(text, field, `model file "${path}"`);
  let data: unknown;
  try {
    data = ext === '.json' ? JSON.parse(text) : parseUserYaml(text);
  } catch (e) {
    const msg = (e as Error).message.split('\n')[0];
    throw new InputError(field, `"${path}" is not valid ${ext === '.json' ? 'JSON' : 'YAML'}: ${msg}`);
  }
  return validateNetworkSpec(data, path);
}
