import fc from 'fast-check';
import type { Network } from '../model/network.js';
import { faultOfKind, faultSpecArbitrary, type FaultArbitraryConstraints, type FaultSpecInput } from './fault-arbitraries.js';

/**
 * One thing a fuzzing session does to a live simulation. Plain data, so a
 * list of them can be printed, stored and replayed exactly.
 */
export type ChaosOp =
  | { op: 'step'; steps: number }
  | { op: 'inject'; spec: FaultSpecInput }
  | { op: 'stop'; pick: number }
  | { op: 'kill-worker'; worker: number; mode: 'terminate' | 'exit' | 'throw'; afterSteps: number }
  | { op: 'pressure'; spec: FaultSpecInput }
  | { op: 'checkpoint-restore'; viaFile: boolean };

export interface ChaosOpConstraints extends FaultArbitraryConstraints {
  /** Most steps one step op runs. @defaultValue 300 */
  maxSteps?: number;
}

/** Arbitraries of each op, by name (weights and model preconditions are the caller's). */
export function chaosOpArbitraries(network: Network, c: ChaosOpConstraints = {}): Record<ChaosOp['op'], fc.Arbitrary<ChaosOp>> {
  const workers = c.workers ?? 0;
  return {
    step: fc.integer({ min: 1, max: c.maxSteps ?? 300 }).map((steps) => ({ op: 'step', steps })),
    inject: faultSpecArbitrary(network, c).map((spec) => ({ op: 'inject', spec })),
    stop: fc.nat(1000).map((pick) => ({ op: 'stop', pick })),
    'kill-worker': fc.record({ worker: fc.integer({ min: 0, max: Math.max(0, workers - 1) }), mode: fc.constantFrom('terminate', 'exit', 'throw'), afterSteps: fc.integer({ min: 0, max: 100 }) }).map((k) => ({ op: 'kill-worker', ...k }) as ChaosOp),
    pressure: faultOfKind(network, 'allocator-pressure', c).map((spec) => ({ op: 'pressure', spec })),
    'checkpoint-restore': fc.boolean().map((viaFile) => ({ op: 'checkpoint-restore', viaFile })),
  };
}

/** A list of ops, weighted towards stepping (faults need time to act). */
export function chaosOpsArbitrary(network: Network, c: ChaosOpConstraints & { maxOps?: number } = {}): fc.Arbitrary<ChaosOp[]> {
  const a = chaosOpArbitraries(network, c);
  const pool = [{ arbitrary: a.step, weight: 4 }, { arbitrary: a.inject, weight: 3 }, { arbitrary: a.stop, weight: 2 }, { arbitrary: a.pressure, weight: 1 }, { arbitrary: a['checkpoint-restore'], weight: 1 }];
  if ((c.workers ?? 0) > 0) pool.push({ arbitrary: a['kill-worker'], weight: 1 });
  return fc.array(fc.oneof(...pool), { minLength: 1, maxLength: c.maxOps ?? 12 });
}

/** One line a person can read, and paste back as data. */
export function describeOp(op: ChaosOp, resolved?: string): string {
  switch (op.op) {
    case 'step':
      return `step(${op.steps})`;
    case 'inject':
      return `inject(${JSON.stringify(op.spec)})`;
    case 'stop':
      return `stop(${resolved ?? `active #${op.pick}`})`;
    case 'kill-worker':
      return `killWorker(${op.worker}, ${op.mode}, after ${op.afterSteps} steps)`;
    case 'pressure':
      return `pressure(${JSON.stringify(op.spec)})`;
    case 'checkpoint-restore':
      return `checkpointRestore(${op.viaFile ? 'through a file' : 'in memory'})`;
  }
}
