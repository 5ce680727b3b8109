import { parseArgs } from 'node:util';
import { InputError } from '../src/util/errors.js';

/** Every suite `npm run bench -- --suite ...` knows, in the order they run. */
export const SUITES = ['simulate', 'throughput', 'kernels', 'guards', 'degradation', 'tfjs-batch', 'gpujs', 'full-scale', 'webgpu', 'verdict-power', 'campaign', 'scaling', 'cpu-speed'] as const;
export type Suite = (typeof SUITES)[number];

/** The suites that take --pairs, with their default (guards: at least 5 pairs, its statistics need them). */
const PAIRS_DEFAULT: Partial<Record<Suite, number>> = { guards: 7, campaign: 5, 'cpu-speed': 5 };
const PAIRS_MIN: Partial<Record<Suite, number>> = { guards: 5 };

export interface BenchOptions {
  suites: Set<Suite>;
  quick: boolean;
  full: boolean;
  backend: 'cpu' | 'workers';
  /** verdict-power only: its point ids, or undefined for all. */
  points?: string[];
  /** verdict-power only: trials per point, or undefined for the form's. */
  trials?: number;
  /** --pairs as given, or undefined (then each suite's default: pairsFor). */
  pairs?: number;
}

/**
 * Parses and checks every flag of `npm run bench` before any suite runs, so
 * a bad flag stops the run at once with the field and its allowed range
 * (bench/run.ts prints it and exits 2), not after minutes of other suites.
 * Throws InputError; parseArgs' own errors (an unknown flag, a missing value)
 * come back as InputError too, named by the flag where parseArgs names it.
 */
export function parseBenchOptions(args: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args,
      options: { suite: { type: 'string', default: 'simulate,throughput,kernels,guards,degradation' }, quick: { type: 'boolean', default: false }, backend: { type: 'string', default: 'cpu' }, full: { type: 'boolean', default: false }, points: { type: 'string' }, trials: { type: 'string' }, pairs: { type: 'string' } },
    }));
  } catch (e) {
    // ERR_PARSE_ARGS_UNKNOWN_OPTION, ..._INVALID_OPTION_VALUE ("--pairs -3" reads as a flag -3): bad input, not a crash.
    const message = e instanceof Error ? e.message : String(e);
    throw new InputError(/'(--?[\w-]+)/.exec(message)?.[1] ?? 'arguments', message);
  }
  const suiteList = values.suite === 'all' ? [...SUITES] : String(values.suite).split(',');
  for (const s of suiteList) if (!(SUITES as readonly string[]).includes(s)) throw new InputError('--suite', `unknown suite "${s}" (known: ${SUITES.join(', ')}, all)`);
  const suites = new Set(suiteList as Suite[]);
  if (values.backend !== 'cpu' && values.backend !== 'workers') throw new InputError('--backend', `must be cpu or workers (got ${String(values.backend)})`);
  const options: BenchOptions = { suites, quick: values.quick === true, full: values.full === true, backend: values.backend };
  if (typeof values.pairs === 'string') {
    const takers = [...suites].filter((s) => PAIRS_DEFAULT[s] !== undefined);
    if (takers.length === 0) throw new InputError('--pairs', `applies only to the suites ${Object.keys(PAIRS_DEFAULT).join(', ')} (asked: ${[...suites].join(', ')})`);
    const pairs = Number(values.pairs);
    const min = Math.max(1, ...takers.map((s) => PAIRS_MIN[s] ?? 1));
    if (!(values.pairs.trim() !== '' && Number.isInteger(pairs) && pairs >= min && pairs <= 100)) throw new InputError('--pairs', `must be an integer in [${min}, 100]${min > 1 ? ` (guards needs at least ${min})` : ''} (got ${JSON.stringify(values.pairs)})`);
    options.pairs = pairs;
  }
  if (values.trials !== undefined || values.points !== undefined) {
    if (!suites.has('verdict-power')) throw new InputError(values.trials !== undefined ? '--trials' : '--points', 'applies only to the verdict-power suite');
  }
  if (typeof values.trials === 'string') {
    const trials = Number(values.trials);
    if (!(values.trials.trim() !== '' && Number.isInteger(trials) && trials >= 2 && trials <= 10_000)) throw new InputError('--trials', `must be an integer in [2, 10000] (got ${JSON.stringify(values.trials)})`);
    options.trials = trials;
  }
  if (typeof values.points === 'string') options.points = values.points.split(',');
  return options;
}

/**
 * The pairs (or rounds) a suite runs: --pairs when given, else its default;
 * the campaign suite runs 1 round with --quick unless --pairs says otherwise.
 */
export function pairsFor(options: BenchOptions, suite: 'guards' | 'campaign' | 'cpu-speed'): number {
  if (options.pairs !== undefined) return options.pairs;
  if (suite === 'campaign' && options.quick) return 1;
  return PAIRS_DEFAULT[suite] ?? 5;
}
