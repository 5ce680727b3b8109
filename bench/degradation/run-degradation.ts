import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

/** The degradation campaigns: the full sweep and its smoke check. */
export const DEGRADATION_CAMPAIGN = fileURLToPath(new URL('../../../campaigns/degradation.yaml', import.meta.url));
export const DEGRADATION_QUICK_CAMPAIGN = fileURLToPath(new URL('../../../campaigns/degradation-quick.yaml', import.meta.url));

/**
 * The degradation suite: the campaign file `campaigns/degradation[-quick].yaml`
 * run through `neurochaos campaign` (a local pool, one process per core), its
 * outputs (results.csv, results.json, summary.md, report.html, figures/) in
 * `bench/results/<name>/`. Stored results are kept there: a rerun after an
 * interruption (or a code change that leaves the simulation alone) resumes.
 *
 * @returns the campaign command's exit code (0: every job has a result)
 */
export async function runDegradation(quick: boolean, resultsDir: string, name: string, log: (line: string) => void): Promise<number> {
  const file = quick ? DEGRADATION_QUICK_CAMPAIGN : DEGRADATION_CAMPAIGN;
  const out = join(resultsDir, name);
  log(`  campaign ${file} -> bench/results/${name}/ (command: neurochaos campaign ${quick ? 'campaigns/degradation-quick.yaml' : 'campaigns/degradation.yaml'} --out bench/results/${name})`);
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await main(['campaign', file, '--out', out], { stdout: process.stdout, stderr: process.stderr, signal: controller.signal });
  } finally {
    process.off('SIGINT', onSignal);
  }
}
