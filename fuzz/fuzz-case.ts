import type { CheckOptions, CheckOutcome } from '../src/fuzz/check-property.js';

/** One property of the campaign: CI runs `ciRuns` of it with a pinned seed; `npm run fuzz` as many as asked. */
export interface FuzzCase {
  name: string;
  ciRuns: number;
  check(options: CheckOptions): Promise<CheckOutcome>;
}

/** The seed CI pins (override with NEUROCHAOS_FUZZ_SEED to explore). */
export const CI_SEED = Number(process.env.NEUROCHAOS_FUZZ_SEED ?? 20260611);

/** The command that replays one failure of the property `name` (the replay path is there for model-based properties). */
export function replayLine(name: string): (seed: number, path: string, replayPath?: string) => string {
  return (seed, path, replayPath) => `npm run fuzz -- --property ${name} --seed ${seed} --path ${path}${replayPath ? ` --replay-path ${replayPath}` : ''} --runs 1`;
}
