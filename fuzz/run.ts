// `npm run fuzz -- --runs N --seed S [--property NAME] [--path P [--replay-path R]]`: a long fuzzing campaign over every property.
import { campaignUsage, parseCampaignArgs, runCampaign } from './campaign.js';
import { FUZZ_CASES } from './registry.js';

async function main(): Promise<number> {
  const args = parseCampaignArgs(process.argv.slice(2), FUZZ_CASES);
  if ('help' in args) {
    process.stdout.write(`${campaignUsage(FUZZ_CASES)}\n`);
    return 0;
  }
  if ('error' in args) {
    process.stderr.write(`fuzz: ${args.error}\n${campaignUsage(FUZZ_CASES)}\n`);
    return 2;
  }
  return runCampaign(FUZZ_CASES, args, (text) => process.stdout.write(text));
}

process.exitCode = await main();
