import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The test fixtures' folder in the source tree (YAML files are not compiled into dist/). */
export const FIXTURES = fileURLToPath(new URL('../../../test/campaign/fixtures/', import.meta.url));
export const TINY_CAMPAIGN = join(FIXTURES, 'tiny.campaign.yaml');
export const TINY_MODEL = fileURLToPath(new URL('../../../test/fixtures/tiny.yaml', import.meta.url));

/** A campaign on the tiny model written into `dir`, with `patch` lines replacing the defaults by key. */
export function writeCampaign(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body.replaceAll('TINY_MODEL', TINY_MODEL));
  return path;
}

export const BASE = `title: t
model: { name: TINY_MODEL }
judge: { trials: 1 }
experiment: { warmupMs: 50, baselineMs: 100, monitorIntervalMs: 10, holdMs: 20, observationMs: 50, recoveryTimeoutMs: 100 }
`;
