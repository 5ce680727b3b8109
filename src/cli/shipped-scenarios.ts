import { existsSync, readdirSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError } from '../util/errors.js';

/** The scenarios folder shipped in the package (package.json `files`), wherever the package is installed. */
export const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../scenarios');

/** Names of the shipped scenarios (`quick`, `spike_storm_overload`, ...), sorted. */
export function shippedScenarioNames(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/**
 * The file a scenario argument names. A path that exists is taken as it is;
 * otherwise a shipped scenario's name (`quick`), file name (`quick.yaml`) or
 * path inside the repository (`scenarios/quick.yaml`, as `list` prints it) is
 * looked up in the package's scenarios folder, so the commands in the README
 * work in a project that installed the package. A bare name that is neither
 * is an InputError listing the shipped names.
 */
export function resolveScenarioArg(arg: string): string {
  if (existsSync(arg)) return arg;
  const normalised = arg.split('/').join(sep);
  const inScenarios = normalised.startsWith(`scenarios${sep}`) ? normalised.slice('scenarios'.length + 1) : normalised;
  if (inScenarios.includes(sep)) return arg;
  const name = basename(inScenarios).replace(/\.yaml$/, '');
  const shipped = shippedScenarioNames();
  if (shipped.includes(name)) return join(SCENARIO_DIR, `${name}.yaml`);
  // Neither a file nor a shipped name: say which names there are.
  throw new InputError('scenario', `no file "${arg}" and no shipped scenario of that name (shipped: ${shipped.join(', ')})`);
}
