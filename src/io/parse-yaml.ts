import { parse } from 'yaml';

/**
 * Parses a user's YAML file (a scenario, a model) with the options every
 * input surface shares: merge keys (`<<: *defaults`, YAML 1.1's merge type,
 * which the `yaml` package leaves off under YAML 1.2 unless asked: without it
 * `<<` would be an ordinary key, refused as unknown or silently ignored),
 * at most 100 alias expansions (a "billion laughs" file is refused), and
 * errors thrown rather than logged.
 *
 * @throws the `yaml` package's YAMLParseError on malformed text (callers turn it into an InputError)
 */
export function parseUserYaml(text: string): unknown {
  return parse(text, { merge: true, maxAliasCount: 100, prettyErrors: true, logLevel: 'error' });
}
