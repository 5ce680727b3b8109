import { parseArgs } from 'node:util';
import { InputError } from '../src/util/errors.js';
import { powerConfig } from './verdict-power-config.js';
import { PRECISIONS, type Precision } from '../src/backends/precision.js';

/** Every suite `npm run bench -- --suite ...` knows, in the order they run. */
export const SUITES = ['simulate', 'throughput', 'kernels', 'guards', 'degradation', 'tfjs-batch', 'gpujs', 'full-scale', 'webgpu', 'verdict-power', 'campaign', 'scaling', 'cpu-speed'] as const;
export type Suite = (typeof SUITES)[number];

/** The suites that take --pairs, with their default (guards: at least 5 pairs, its statistics need them). */
const PAIRS_DEFAULT: Partial<Record<Suite, number>> = { guards: 7, campaign: 5, 'cpu-speed': 5 };
const PAIRS_MIN: Partial<Record<Suite, number>> = { guards: 5 };
/** The suites that --full changes. */
const FULL_TAKERS: readonly Suite[] = ['verdict-power', 'scaling', 'cpu-speed'];

/** A decimal integer written plainly ("12"), else null: Number() would also take "0x5", "1e2", " 5 " and "". */
export function strictInteger(text: string): number | null {
  return /^[0-9]{1,9}$/.test(text) ? Number(text) : null;
}

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
  /** The suites that run: `suites` less those --quick skips (QUICK_SKIPS). */
  running: Set<Suite>;
  /** cpu-speed only: this build's runs compute in this precision (and a float64-vs-float32 race is added), or undefined (float64, no such race). */
  precision?: Precision;
}

/** Suites that do not run with --quick (no quick form). */
const QUICK_SKIPS: readonly Suite[] = ['simulate', 'guards'];

/**
 * Parses and checks every flag of `npm run bench` before any suite runs, so
 * a bad flag stops the run at once with the field and its allowed range
 * (bench/run.ts prints it and exits 2), not after minutes of other suites.
 * Throws InputError; parseArgs' own errors (an unknown flag, a missing value)
 * come back as InputError too, named by the flag where parseArgs names it.
 */
export function parseBenchOptions(args: string[]): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  let tokens: { kind: string; name?: string }[];
  try {
    ({ values, tokens } = parseArgs({
      args,
      tokens: true,
      options: { suite: { type: 'string', default: 'simulate,throughput,kernels,guards,degradation' }, quick: { type: 'boolean', default: false }, backend: { type: 'string', default: 'cpu' }, full: { type: 'boolean', default: false }, points: { type: 'string' }, trials: { type: 'string' }, pairs: { type: 'string' }, precision: { type: 'string' } },
    }));
  } catch (e) {
    // ERR_PARSE_ARGS_UNKNOWN_OPTION, ..._INVALID_OPTION_VALUE ("--pairs -3" reads as a flag -3), ..._UNEXPECTED_POSITIONAL: bad input, not a crash.
    const message = e instanceof Error ? e.message : String(e);
    const code = (e as { code?: string }).code;
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') throw new InputError('arguments', message);
    const flag = /'(--?[\w-]+)/.exec(message)?.[1];
    if (flag === '--pairs' && code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new InputError('--pairs', `must be an integer in [1, 100] (${message.split('\n')[0]})`);
    throw new InputError(flag ?? 'arguments', message);
  }
  // A flag given twice would have its last value win silently.
  const seen = new Set<string>();
  for (const t of tokens) {
    if (t.kind !== 'option' || t.name === undefined) continue;
    if (seen.has(t.name)) throw new InputError(`--${t.name}`, 'given more than once');
    seen.add(t.name);
  }
  const suiteList = values.suite === 'all' ? [...SUITES] : String(values.suite).split(',');
  for (const s of suiteList) if (!(SUITES as readonly string[]).includes(s)) throw new InputError('--suite', `unknown suite "${s}" (known: ${SUITES.join(', ')}, all)`);
  const suites = new Set(suiteList as Suite[]);
  if (values.backend !== 'cpu' && values.backend !== 'workers') throw new InputError('--backend', `must be cpu or workers (got ${String(values.backend)})`);
  const quick = values.quick === true;
  const running = new Set([...suites].filter((x) => !(quick && QUICK_SKIPS.includes(x))));
  const options: BenchOptions = { suites, running, quick, full: values.full === true, backend: values.backend };
  // Suites that --quick skips take no flag: guards does not run with --quick.
  if (typeof values.pairs === 'string') {
    const takers = [...running].filter((x) => PAIRS_DEFAULT[x] !== undefined);
    if (takers.length === 0) throw new InputError('--pairs', `applies only to the suites ${Object.keys(PAIRS_DEFAULT).join(', ')}${options.quick ? ' (guards not with --quick)' : ''} (asked: ${[...suites].join(', ')})`);
    const min = Math.max(1, ...takers.map((x) => PAIRS_MIN[x] ?? 1));
    const pairs = strictInteger(values.pairs);
    if (!(pairs !== null && pairs >= min && pairs <= 100)) throw new InputError('--pairs', `must be an integer in [${min}, 100]${min > 1 ? ` (guards needs at least ${min})` : ''} (got ${JSON.stringify(values.pairs)})`);
    options.pairs = pairs;
  }
  if (values.full === true && ![...running].some((x) => FULL_TAKERS.includes(x))) throw new InputError('--full', `applies only to the suites ${FULL_TAKERS.join(', ')}`);
  if (values.backend !== 'cpu' && !running.has('verdict-power')) throw new InputError('--backend', 'applies only to the verdict-power suite');
  if (values.trials !== undefined || values.points !== undefined) {
    if (!suites.has('verdict-power')) throw new InputError(values.trials !== undefined ? '--trials' : '--points', 'applies only to the verdict-power suite');
  }
  if (typeof values.trials === 'string') {
    const trials = strictInteger(values.trials);
    if (!(trials !== null && trials >= 2 && trials <= 10_000)) throw new InputError('--trials', `must be an integer in [2, 10000] (got ${JSON.stringify(values.trials)})`);
    options.trials = trials;
  }
  if (typeof values.precision === 'string') {
    if (!(PRECISIONS as readonly string[]).includes(values.precision)) throw new InputError('--precision', `must be one of ${PRECISIONS.join(', ')} (got ${JSON.stringify(values.precision)})`);
    if (!running.has('cpu-speed')) throw new InputError('--precision', 'applies only to the cpu-speed suite');
    options.precision = values.precision as Precision;
  }
  if (typeof values.points === 'string') {
    options.points = values.points.split(',');
    // The point ids are the form's: checked here, before any suite runs, not when verdict-power starts.
    powerConfig(options.full ? 'full' : 'quick', options.backend, options.points);
  }
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
