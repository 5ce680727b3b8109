import { parseArgs } from 'node:util';
import { replayLine, type FuzzCase } from './fuzz-case.js';

export interface CampaignArgs {
  /** Runs per property (absent: 10x what CI runs). */
  runs?: number;
  seed: number;
  /** Names of the properties to check (absent: all). */
  properties?: string[];
  /** A failure's counterexample path: replays it. */
  path?: string;
  /** A model-based failure's command replay path (with path). */
  replayPath?: string;
}

export const campaignUsage = (cases: FuzzCase[]) => `Usage: npm run fuzz -- [--runs N] [--seed S] [--property NAME[,NAME...]] [--path P [--replay-path R]]

Checks every fuzzing property (or the named ones) N times each (default: 10x
what CI runs), from seed S (default: drawn and printed). A failure prints the
seed, the path and the shrunk counterexample (for chaos properties, the
command list), and the command that replays exactly it (for chaos
properties it carries --replay-path: the commands' replay path). A replay
that runs no case fails.

Properties: ${cases.map((c) => c.name).join(', ')}`;

/** Parses the campaign's flags; an error is a message for the user (exit 2). */
export function parseCampaignArgs(argv: string[], cases: FuzzCase[]): CampaignArgs | { help: true } | { error: string } {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { runs: { type: 'string' }, seed: { type: 'string' }, property: { type: 'string' }, path: { type: 'string' }, 'replay-path': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    return { error: (e as Error).message };
  }
  if (values.help) return { help: true };
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  const seed = values.seed === undefined ? (Date.now() ^ (Math.random() * 2 ** 32)) | 0 : Number(values.seed);
  if ((runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) || !Number.isInteger(seed)) return { error: '--runs must be an integer >= 1 and --seed an integer' };
  if (values['replay-path'] !== undefined && values.path === undefined) return { error: '--replay-path goes with --path (both come from a failure\'s replay line)' };
  const properties = values.property?.split(',');
  const unknown = properties?.filter((w) => !cases.some((c) => c.name === w)) ?? [];
  if (unknown.length) return { error: `unknown property ${unknown.join(', ')}` };
  return { runs, seed, properties, path: values.path, replayPath: values['replay-path'] };
}

/** Checks the chosen properties, writing one line per property and each failure's report; returns the exit code (0 all held, 1 one failed). */
export async function runCampaign(cases: FuzzCase[], args: CampaignArgs, write: (text: string) => void): Promise<number> {
  const chosen = cases.filter((c) => !args.properties || args.properties.includes(c.name));
  write(`fuzzing ${chosen.length} properties, seed ${args.seed}${args.runs ? `, ${args.runs} runs each` : ', 10x the CI runs'}\n`);
  let failed = 0;
  for (const c of chosen) {
    const t0 = performance.now();
    let out;
    try {
      out = await c.check({ numRuns: args.runs ?? c.ciRuns * 10, seed: args.seed, path: args.path, replayPath: args.replayPath, replayCommand: replayLine(c.name) });
    } catch (e) {
      // An arbitrary that throws while generating is a failure of the campaign, reported with its seed like any other.
      out = { failed: true, numRuns: 0, report: `${c.name} could not run (seed ${args.seed}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
    }
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    if (out.failed) {
      failed++;
      write(`FAIL ${c.name} (${s} s)\n${out.report}\n\n`);
    } else write(`ok   ${c.name}: ${out.numRuns} runs (${s} s)\n`);
  }
  write(failed ? `${failed} of ${chosen.length} properties failed (seed ${args.seed})\n` : `all ${chosen.length} properties held (seed ${args.seed})\n`);
  return failed ? 1 : 0;
}
