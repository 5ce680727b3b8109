import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The two-population test model (E 160 / I 40, Poisson drive, E->I, E->E, I->E). */
export const TINY_MODEL = fileURLToPath(new URL('../../../test/fixtures/tiny.yaml', import.meta.url));

export interface TinyExperiment {
  id: string;
  observationMs?: number;
  recoveryTimeoutMs?: number;
  slaMs?: number;
}

/**
 * Writes a scenario on the tiny model into `dir` (cpu backend, short warm-up
 * and baseline, one weak storm per experiment) and returns its path.
 */
export function writeTinyScenario(dir: string, name: string, experiments: TinyExperiment[], extra: string[] = []): string {
  const file = join(dir, `${name}.yaml`);
  const lines = [
    `title: ${name}`,
    `model: { name: ${JSON.stringify(TINY_MODEL)} }`,
    'backend: cpu',
    'defaults: { warmupMs: 20, baselineMs: 100, holdMs: 20 }',
    ...extra,
    'experiments:',
    ...experiments.flatMap((e) => [
      `  - id: ${e.id}`,
      '    fault: { kind: spike-storm, target: { populations: [E], percent: 10 }, rateHz: 100, amplitudePa: 20, durationMs: 20 }',
      `    observationMs: ${e.observationMs ?? 40}`,
      `    recoveryTimeoutMs: ${e.recoveryTimeoutMs ?? 100}`,
      ...(e.slaMs !== undefined ? [`    slaMs: ${e.slaMs}`] : []),
    ]),
  ];
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
