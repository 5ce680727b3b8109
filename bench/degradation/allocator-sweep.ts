import { createBackend } from '../../src/backends/create-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import { AllocationError, Allocator } from '../../src/memory/allocator.js';
import type { Network } from '../../src/model/network.js';
import { defenceOptions } from './column-harness.js';
import { point, type Curve } from './curve.js';
import type { SweepConfig } from './sweep-config.js';

const CHUNK_MS = 5;
const FAULT_MS = 50;
const RECOVERY_MS = 50;
const MAX_RETRIES = 20;

interface TrialResult {
  stepLatencyUs: number;
  allocationsFailed: number;
  recoveryMs: number;
  leakedMiB: number;
}

/**
 * Allocator pressure (failure rate, or the free budget squeezed) -> step
 * latency, allocations failed, recovery time. Runs on the workers backend: it
 * is the one that allocates while it runs (a restart point at every run and
 * every 5 ms here). A run refused by the allocator is retried (up to 20 times
 * per chunk, then the chunk is given up); trials run one after the other,
 * each with its own failure stream.
 */
export async function allocatorSweep(network: Network, cfg: SweepConfig, defences: 'on' | 'off', onPoint: (label: string) => void): Promise<Curve[]> {
  const allocator = new Allocator();
  const dt = network.dtMs;
  const { backend } = createBackend(network, { backend: 'workers', workers: cfg.workers, batch: 1, seed: cfg.seed, allocator, checkpointEverySteps: Math.round(CHUNK_MS / dt), ...defenceOptions(defences === 'on', dt) });
  const chaos = new ChaosController(backend, { seed: cfg.seed, allocator });
  const chunk = Math.round(CHUNK_MS / dt);
  try {
    await backend.run(Math.round(cfg.warmupMs / dt));
    const cp = backend.checkpoint();
    const baselineUs: number[] = [];
    for (let k = 0; k < 6; k++) {
      const t0 = performance.now();
      await backend.run(chunk);
      baselineUs.push(((performance.now() - t0) * 1000) / chunk);
    }
    const baseline = baselineUs.sort((a, b) => a - b)[3];
    const trial = async (spec: object, id: string): Promise<TrialResult> => {
      backend.restore(cp);
      const inUse = allocator.stats().inUseBytes;
      const failures0 = allocator.stats().failures;
      await chaos.inject({ kind: 'allocator-pressure', id, ...spec });
      const t0 = performance.now();
      let steps = 0;
      for (let k = 0; k < FAULT_MS / CHUNK_MS; k++) steps += await runWithRetries(backend.run.bind(backend), chunk);
      const stepLatencyUs = ((performance.now() - t0) * 1000) / Math.max(1, steps);
      const allocationsFailed = allocator.stats().failures - failures0;
      await chaos.stopAll();
      let recoveryMs = RECOVERY_MS;
      for (let k = 0; k < RECOVERY_MS / CHUNK_MS; k++) {
        const t1 = performance.now();
        const done = await runWithRetries(backend.run.bind(backend), chunk);
        if (done === chunk && ((performance.now() - t1) * 1000) / chunk <= 1.5 * baseline) {
          recoveryMs = k * CHUNK_MS;
          break;
        }
      }
      return { stepLatencyUs, allocationsFailed, recoveryMs, leakedMiB: (allocator.stats().inUseBytes - inUse) / 2 ** 20 };
    };
    const curves: Curve[] = [];
    const families: { name: string; xs: number[]; spec: (x: number) => object; x: string }[] = [
      { name: 'failure rate', xs: cfg.allocatorFailureRates, spec: (x) => ({ failureRate: x }), x: 'allocation failure rate' },
      { name: 'free fraction', xs: cfg.allocatorFreeFractions, spec: (x) => ({ freeFraction: x }), x: 'free budget fraction left' },
    ];
    for (const f of families) {
      const lat: Curve = { figure: `allocator (${f.name}): step latency`, series: 'workers', defences, xLabel: f.x, yLabel: 'wall us per simulated step', logX: false, points: [], reference: { y: baseline, label: 'baseline' } };
      const fail: Curve = { figure: `allocator (${f.name}): allocations failed`, series: 'workers', defences, xLabel: f.x, yLabel: `failed allocations in ${FAULT_MS} ms`, logX: false, points: [] };
      const rec: Curve = { figure: `allocator (${f.name}): recovery time`, series: 'workers', defences, xLabel: f.x, yLabel: `ms after stop (censored at ${RECOVERY_MS})`, logX: false, points: [] };
      const leak: Curve = { figure: `allocator (${f.name}): bytes left in use after stop`, series: 'workers', defences, xLabel: f.x, yLabel: 'MiB', logX: false, points: [] };
      for (const x of f.xs) {
        const results: TrialResult[] = [];
        for (let t = 0; t < cfg.trials; t++) results.push(await trial(f.spec(x), `alloc-${f.name}-${x}-${t}`));
        lat.points.push(point(x, results.map((r) => r.stepLatencyUs)));
        fail.points.push(point(x, results.map((r) => r.allocationsFailed)));
        rec.points.push(point(x, results.map((r) => r.recoveryMs)));
        leak.points.push(point(x, results.map((r) => r.leakedMiB)));
        onPoint(`allocator ${f.name} ${x}, defences ${defences}`);
      }
      curves.push(lat, fail, rec, leak);
    }
    return curves;
  } finally {
    await chaos.stopAll();
    await backend.dispose();
  }
}

/** Steps run: a chunk refused by the allocator is retried, then given up. */
async function runWithRetries(run: (steps: number) => Promise<unknown>, steps: number): Promise<number> {
  for (let attempt = 0; attempt <= MAX_RETRIES; attempt++) {
    try {
      await run(steps);
      return steps;
    } catch (e) {
      if (!(e instanceof AllocationError)) throw e;
    }
  }
  return 0;
}

/** Simulated replica-ms the sweep runs (for the progress line). */
export function allocatorUnits(cfg: SweepConfig): number {
  const points = cfg.allocatorFailureRates.length + cfg.allocatorFreeFractions.length;
  return cfg.warmupMs + 30 + points * cfg.trials * (FAULT_MS + RECOVERY_MS);
}
