import fc from 'fast-check';
import type { Network } from '../model/network.js';
import { faultSpecArbitrary, type FaultArbitraryConstraints } from './fault-arbitraries.js';
import { msOfSteps } from '../util/time-steps.js';
import { faultStepFields } from '../engine/scenario-times.js';

export interface ScenarioArbitraryConstraints extends FaultArbitraryConstraints {
  /** What the scenario's `model.name` says: a built-in model or a model file whose network is `network`. */
  modelName: string;
  /** @defaultValue 3 */
  maxExperiments?: number;
  /** Cap on observation and recovery windows (simulated ms). @defaultValue 50 */
  maxWindowMs?: number;
}

/**
 * Valid scenario objects (as a YAML file would hold them) whose faults can
 * be injected into `network`, with short windows so they run quickly.
 */
export function scenarioArbitrary(network: Network, c: ScenarioArbitraryConstraints): fc.Arbitrary<Record<string, unknown>> {
  const win = c.maxWindowMs ?? 50;
  // Scenario times lie on the dt = 0.1 ms grid (src/util/time-steps.ts refuses others).
  const ms = (min: number) => fc.integer({ min: Math.ceil(min * 10), max: Math.max(Math.ceil(min * 10), Math.floor(win * 10)) }).map((k) => msOfSteps(k, 0.1));
  const snapFault = snapFaultTimes;
  const experiment = fc.record({
    fault: faultSpecArbitrary(network, c).map((f) => snapFault(f as unknown as Record<string, unknown>)),
    observationMs: ms(0.5),
    recoveryTimeoutMs: ms(0.5),
    rollback: fc.option(fc.constantFrom('always', 'on-deviation', 'never'), { nil: undefined }),
  });
  return fc
    .record({
      title: fc.string({ minLength: 1, maxLength: 40 }).filter((t) => t.trim().length > 0),
      seed: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      backend: fc.constantFrom('cpu', ...(c.workers ? ['workers'] : [])),
      experiments: fc.array(experiment, { minLength: 1, maxLength: c.maxExperiments ?? 3 }),
      warmupMs: ms(0),
      baselineMs: ms(1),
    })
    .map(({ title, seed, backend, experiments, warmupMs, baselineMs }) => ({
      title,
      seed,
      model: { name: c.modelName },
      backend,
      ...(backend === 'workers' ? { workers: c.workers } : {}),
      defaults: { warmupMs, baselineMs, monitorIntervalMs: 1, holdMs: 1 },
      experiments: experiments.map((e, i) => ({ id: `e${i}`, ...Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined)) })),
    }));
}

/** A drawn fault spec with its simulated-time fields moved onto the dt = 0.1 ms grid (at least one step), as scenarios must write them. */
export function snapFaultTimes<F>(spec: F): F {
  const f = spec as unknown as Record<string, unknown>;
  for (const k of faultStepFields(String(f.kind))) if (typeof f[k] === 'number') f[k] = msOfSteps(Math.max(1, Math.round((f[k] as number) / 0.1)), 0.1);
  return spec;
}
