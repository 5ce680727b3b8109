import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { SimulationBackend } from '../../src/backends/backend.js';
import { writeCheckpointFile } from '../../src/backends/checkpoint-file.js';
import { BACKENDS, createBackend, REFERENCE_BACKEND } from '../../src/backends/create-backend.js';
import { ChaosController } from '../../src/chaos/chaos-controller.js';
import type { ActiveFault } from '../../src/chaos/fault.js';
import { FAULT_KINDS, kindsHostedBy } from '../../src/chaos/fault-kinds.js';
import { Allocator } from '../../src/memory/allocator.js';
import { UnsupportedError } from '../../src/util/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { backendOrSkip, CONFORMANCE_BACKENDS, skipIfUnsupported } from './backends.js';
import { tinyNetwork } from './networks.js';

/**
 * The chaos contract, over every registered backend (test/conformance/backends.ts)
 * and every fault kind the backend's capability sheet says it can host:
 * inject, verify active, stop, verify gone, and the spike trains of the whole
 * run equal to the reference backend's.
 *
 * How spikes are compared, per kind (`compare` in CASES):
 * - `same-fault`: the fault changes the dynamics deterministically (targets
 *   come from streams keyed by seed and fault id, storms from the
 *   counter-based generator): the reference runs the same fault at the same
 *   steps, and the spike trains must be identical.
 * - `untouched`: the fault acts on the host (threads, allocator, output
 *   files) or on worker threads a supervisor recovers, never on the
 *   dynamics: the spike trains must equal an unfaulted reference run.
 * Both comparisons are exact for both exactness classes: the run is 80 steps,
 * well inside the window in which float32-per-op backends match the
 * reference spike for spike (conformance.test.ts: 800 steps on this network).
 *
 * A kind the sheet does not list must be refused with an UnsupportedError
 * (at injection or at the first step). A backend that cannot run here, or
 * an UnsupportedError on a declared kind, is reported as skipped with the reason.
 */

const OPTIONS = { batch: 2, seed: 11 };
/** Steps before injection, with the fault active, and after it was stopped. */
const BEFORE = 20;
const ACTIVE = 30;
const AFTER = 30;
const CHAOS_SEED = 7;

interface ContractCase {
  spec(dir: string): Record<string, unknown>;
  compare: 'same-fault' | 'untouched';
  /** What the run does while the fault is active so that verify can see it act, beyond simulating (disk faults: a write). */
  exercise?(backend: SimulationBackend, dir: string): Promise<void>;
}

/** One case per registered kind: a new kind without one fails the completeness test below, naming it. */
const CASES: Record<string, ContractCase> = {
  'spike-storm': { spec: () => ({ kind: 'spike-storm', target: { populations: ['E'], percent: 20 }, rateHz: 2000, amplitude: 300 }), compare: 'same-fault' },
  'weight-corruption': { spec: () => ({ kind: 'weight-corruption', source: 'E', fraction: 0.3, mode: 'stuck-at-zero' }), compare: 'same-fault' },
  'neuron-fault': { spec: () => ({ kind: 'neuron-fault', target: { populations: ['E'], percent: 30, replicas: [0] }, mode: 'dead' }), compare: 'same-fault' },
  'allocator-pressure': { spec: () => ({ kind: 'allocator-pressure', freeFraction: 0.9 }), compare: 'untouched' },
  'worker-crash': { spec: () => ({ kind: 'worker-crash', worker: 0, mode: 'exit', afterMs: 1 }), compare: 'untouched' },
  'worker-stall': { spec: () => ({ kind: 'worker-stall', worker: 0, durationMs: 20, afterMs: 1 }), compare: 'untouched' },
  partition: { spec: () => ({ kind: 'partition', from: { populations: ['E'] }, to: { populations: ['I'] }, direction: 'one-way' }), compare: 'same-fault' },
  'cpu-stress': {
    spec: () => ({ kind: 'cpu-stress', threads: 1, load: 0.5 }),
    compare: 'untouched',
    // The burner thread reports its busy time once it has started: wait for it (wall clock, at most 5 s).
    async exercise() {
      await new Promise((r) => setTimeout(r, 50));
    },
  },
  'disk-fault': {
    spec: (dir) => ({ kind: 'disk-fault', path: dir, errorRate: 1 }),
    compare: 'untouched',
    // A write under its folder while it is active: refused with EIO (the fault acted), the simulation goes on.
    async exercise(backend, dir) {
      assert.throws(() => writeCheckpointFile(join(dir, 'cp.nchk'), backend.checkpoint()), (e: NodeJS.ErrnoException) => e.code === 'EIO');
    },
  },
  'cascading-failure': { spec: () => ({ kind: 'cascading-failure', initial: { kind: 'weight-corruption', population: 'E', fraction: 0.2 }, propagationDelayMs: 1, maxDepth: 1 }), compare: 'same-fault' },
  // One over-threshold kick per target at injection: the targets fire, so the trains must differ from an unfaulted one.
  'null-perturbation': { spec: () => ({ kind: 'null-perturbation', target: { populations: ['E'], count: 5 } }), compare: 'same-fault' },
};

interface Run {
  pairs: Int32Array[];
  active?: ReturnType<ActiveFault['verify']>;
  gone?: ReturnType<ActiveFault['verify']>;
}

/** Runs BEFORE steps, injects `spec` (null: none), runs ACTIVE, exercises, verifies, stops, verifies, runs AFTER. */
async function runWithFault(backend: SimulationBackend, allocator: Allocator, spec: Record<string, unknown> | null, c: ContractCase | null, dir: string): Promise<Run> {
  const chaos = new ChaosController(backend, { seed: CHAOS_SEED, allocator });
  let fault: ActiveFault | undefined;
  try {
    await chaos.run(BEFORE);
    const out: Run = { pairs: [] };
    if (spec) fault = await chaos.injectUnknown(spec);
    await chaos.run(ACTIVE);
    if (fault) {
      await c?.exercise?.(backend, dir);
      out.active = fault.verify();
      if (!out.active.ok && fault.kind === 'cpu-stress') {
        for (let waited = 0; waited < 5000 && !out.active.ok; waited += 50) {
          await new Promise((r) => setTimeout(r, 50));
          out.active = fault.verify();
        }
      }
      await fault.stop();
      out.gone = fault.verify();
    }
    await chaos.run(AFTER);
    out.pairs = backend.recorder.stores.map((s) => s.toPairs());
    return out;
  } finally {
    if (fault && !fault.stopped) await fault.stop();
    await backend.dispose();
  }
}

const references = new Map<string, Promise<Int32Array[]>>();
/** The reference's spike trains: with the same fault (same-fault kinds) or none (cached). */
function referencePairs(kind: string | null, dir: string): Promise<Int32Array[]> {
  const key = kind ?? 'none';
  if (!references.has(key)) {
    const net = tinyNetwork();
    const allocator = new Allocator(2 ** 30);
    const ref = createBackend(net, { ...OPTIONS, allocator, backend: REFERENCE_BACKEND }).backend;
    references.set(key, runWithFault(ref, allocator, kind ? CASES[kind].spec(dir) : null, kind ? CASES[kind] : null, dir).then((r) => r.pairs));
  }
  return references.get(key)!;
}

function firstDifference(a: Int32Array, b: Int32Array): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i += 2) {
    if (a[i] !== b[i] || a[i + 1] !== b[i + 1]) return `first difference at spike ${i / 2}: reference (step ${a[i]}, neuron ${a[i + 1]}), backend (step ${b[i]}, neuron ${b[i + 1]})`;
  }
  return null;
}

describe('chaos contract: cases', () => {
  it('every registered fault kind has a contract case', () => {
    assert.deepEqual(FAULT_KINDS.filter((k) => !(k in CASES)), [], 'add a case for each kind to CASES in test/conformance/chaos-contract.test.ts');
  });
  it('every kind a backend declares is a registered kind, and the reference hosts every same-fault kind', () => {
    for (const d of BACKENDS.list()) for (const k of kindsHostedBy(d.capabilities.hosts)) assert.ok((FAULT_KINDS as readonly string[]).includes(k), `${d.name} declares ${k}`);
    const ref = kindsHostedBy(BACKENDS.get(REFERENCE_BACKEND).capabilities.hosts);
    for (const [k, c] of Object.entries(CASES)) if (c.compare === 'same-fault') assert.ok(ref.includes(k), `${k} is compared with the reference running it`);
  });
});

for (const entry of CONFORMANCE_BACKENDS) {
  const declared = kindsHostedBy(BACKENDS.get(entry.backend).capabilities.hosts);
  describe(`chaos contract: ${entry.name}`, () => {
    for (const kind of FAULT_KINDS.filter((k) => declared.includes(k))) {
      const c = CASES[kind];
      it(`${kind}: inject, verify active, stop, verify gone; spikes equal to the reference ${c.compare === 'same-fault' ? 'running the same fault' : 'without the fault'}`, async (t) => {
        const dir = tempDir('neurochaos-chaos-contract-');
        const net = tinyNetwork();
        const allocator = new Allocator(2 ** 30);
        const backend = await backendOrSkip(t, entry, net, { ...OPTIONS, allocator });
        if (!backend) return;
        let run!: Run;
        if (!(await skipIfUnsupported(t, async () => void (run = await runWithFault(backend, allocator, c.spec(dir), c, dir))))) return;
        assert.equal(run.active?.ok, true, `active: ${run.active?.evidence}`);
        assert.equal(run.active?.noEffect, undefined);
        assert.equal(run.gone?.ok, true, `after stop: ${run.gone?.evidence}`);
        const ref = await referencePairs(c.compare === 'same-fault' ? kind : null, tempDir('neurochaos-chaos-contract-ref-'));
        if (c.compare === 'same-fault') {
          // The comparison could fail: the fault changed the reference's spikes.
          const plain = await referencePairs(null, tempDir('neurochaos-chaos-contract-ref-'));
          assert.ok(ref.some((p, b) => firstDifference(plain[b], p) !== null), `${kind} changed the reference's spike trains`);
        }
        for (let b = 0; b < OPTIONS.batch; b++) {
          assert.ok(ref[b].length > 20, `the reference fires (replica ${b}: ${ref[b].length / 2} spikes)`);
          assert.equal(firstDifference(ref[b], run.pairs[b]), null, `replica ${b}`);
        }
      });
    }

    const undeclared = FAULT_KINDS.filter((k) => !declared.includes(k));
    if (undeclared.length > 0) {
      it(`refuses the kinds it does not declare (${undeclared.join(', ')}) with an UnsupportedError naming the backend and the kind`, async (t) => {
        for (const kind of undeclared) {
          const net = tinyNetwork();
          const allocator = new Allocator(2 ** 30);
          const backend = await backendOrSkip(t, entry, net, { ...OPTIONS, allocator });
          if (!backend) return;
          const chaos = new ChaosController(backend, { seed: CHAOS_SEED, allocator });
          try {
            await assert.rejects(
              (async () => {
                await chaos.injectUnknown(CASES[kind].spec(tempDir('neurochaos-chaos-contract-')));
                await chaos.run(1);
              })(),
              (e: unknown) => {
                assert.ok(e instanceof UnsupportedError, `${kind}: ${String(e)}`);
                assert.equal(e.backend, backend.name);
                assert.equal(e.capability, kind);
                return true;
              },
            );
          } finally {
            await chaos.stopAll();
            await backend.dispose();
          }
        }
      });
    }
  });
}
