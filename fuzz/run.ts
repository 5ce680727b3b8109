// `npm run fuzz -- --runs N --seed S [--property NAME] [--path P]`: a long fuzzing campaign over every property.
import { parseArgs } from 'node:util';
import { replayLine } from './fuzz-case.js';
import { FUZZ_CASES } from './registry.js';

const USAGE = `Usage: npm run fuzz -- [--runs N] [--seed S] [--property NAME[,NAME...]] [--path P]

Checks every fuzzing property (or the named ones) N times each (default: 10x
what CI runs), from seed S (default: drawn and printed). A failure prints the
seed, the path and the shrunk counterexample (for chaos properties, the
command list), and the command that replays exactly it.

Properties: ${FUZZ_CASES.map((c) => c.name).join(', ')}`;

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ options: { runs: { type: 'string' }, seed: { type: 'string' }, property: { type: 'string' }, path: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
  } catch (e) {
    process.stderr.write(`fuzz: ${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const runs = values.runs === undefined ? undefined : Number(values.runs);
  const seed = values.seed === undefined ? (Date.now() ^ (Math.random() * 2 ** 32)) | 0 : Number(values.seed);
  if ((runs !== undefined && !(Number.isInteger(runs) && runs >= 1)) || !Number.isInteger(seed)) {
    process.stderr.write(`fuzz: --runs must be an integer >= 1 and --seed an integer\n${USAGE}\n`);
    return 2;
  }
  const wanted = values.property?.split(',');
  const unknown = wanted?.filter((w) => !FUZZ_CASES.some((c) => c.name === w)) ?? [];
  if (unknown.length) {
    process.stderr.write(`fuzz: unknown property ${unknown.join(', ')}\n${USAGE}\n`);
    return 2;
  }
  const cases = FUZZ_CASES.filter((c) => !wanted || wanted.includes(c.name));
  process.stdout.write(`fuzzing ${cases.length} properties, seed ${seed}${runs ? `, ${runs} runs each` : ', 10x the CI runs'}\n`);
  let failed = 0;
  for (const c of cases) {
    const t0 = performance.now();
    let out;
    try {
      out = await c.check({ numRuns: runs ?? c.ciRuns * 10, seed, path: values.path, replayCommand: replayLine(c.name) });
    } catch (e) {
      // An arbitrary that throws while generating is a failure of the campaign, reported with its seed like any other.
      out = { failed: true, numRuns: 0, report: `${c.name} could not run (seed ${seed}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}` };
    }
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    if (out.failed) {
      failed++;
      process.stdout.write(`FAIL ${c.name} (${s} s)\n${out.report}\n\n`);
    } else process.stdout.write(`ok   ${c.name}: ${out.numRuns} runs (${s} s)\n`);
  }
  process.stdout.write(failed ? `${failed} of ${cases.length} properties failed (seed ${seed})\n` : `all ${cases.length} properties held (seed ${seed})\n`);
  return failed ? 1 : 0;
}

process.exitCode = await main();
