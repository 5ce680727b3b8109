import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SimulationBackend, SimulationOptions } from '../backends/backend.js';
import { readCheckpointFile, writeCheckpointFile } from '../backends/checkpoint-file.js';
import type { SimulationCheckpoint } from '../backends/checkpoint.js';
import { DEFAULT_SATURATION_PA } from '../backends/guards.js';
import { ringSlotsFor } from '../backends/simulation-state.js';
import { ChaosController } from '../chaos/chaos-controller.js';
import type { ActiveFault } from '../chaos/fault.js';
import { kindsActingOn, kindsEndingBy, SCHEDULED_STOP_KINDS, type FaultKindName } from '../chaos/fault-kinds.js';
import { outputFs } from '../io/output-fs.js';
import { AllocationError, Allocator } from '../memory/allocator.js';
import type { Network } from '../model/network.js';
import { InputError } from '../util/errors.js';
import type { ChaosOp } from './chaos-ops.js';
import { checkInvariants } from './invariants.js';
import { membraneBand, type MembraneBand } from './membrane-band.js';
import { roundedSteps } from '../util/time-steps.js';

/** A backend under test, as the fuzzers create it. One entry per backend: a new backend plugs in here. */
export interface FuzzBackendEntry {
  name: string;
  /** Worker threads when the backend is the worker-thread engine (worker faults and shard partitions apply); 0 otherwise. */
  workers: number;
  create(network: Network, options: SimulationOptions): SimulationBackend;
  /** A slow backend (e.g. gpu.js in cpu mode) gets fewer runs in CI; campaigns run what they are asked. */
  slow?: boolean;
}

/** What the harness expects of the simulation, kept beside it (the model of model-based testing). */
export interface RigModel {
  step: number;
  /** Top-level faults expected active, with the step the controller stops them at (null: until stopped). */
  active: Map<string, { kind: string; stopAtStep: number | null; allocatorPart: boolean; wallClockStop: boolean }>;
  /** Rings may hold non-finite input through this step (non-finite weights were delivered). */
  ringRiskUntil: number;
  permanentDamage: boolean;
  bandExempt: Uint8Array;
  isiExempt: Uint8Array;
  /** Allocator bytes in use after the first step: never exceeded later (nothing leaks). */
  inUseCeiling: number;
  lastCheckpointFile: string | null;
}

export interface ChaosRig {
  entry: FuzzBackendEntry;
  backend: SimulationBackend;
  chaos: ChaosController;
  allocator: Allocator;
  dir: string;
  band: MembraneBand;
  model: RigModel;
  /** Every fault injected (children of cascades included, through their parents). */
  injected: ActiveFault[];
  /** Lines describing what ran, for a failure report. */
  trail: string[];
}

export const RIG_SATURATION_PA = DEFAULT_SATURATION_PA;

/** A guarded simulation of `network` on the entry's backend, with its own allocator, chaos controller and output folder; one step run. */
export async function createRig(entry: FuzzBackendEntry, network: Network, seed = 1): Promise<ChaosRig> {
  const allocator = new Allocator(2 ** 31);
  const backend = entry.create(network, { guards: { enabled: true, saturationPa: RIG_SATURATION_PA }, allocator, seed });
  const chaos = new ChaosController(backend, { seed, allocator });
  const n = network.neuronCount * backend.batch;
  const rig: ChaosRig = {
    entry,
    backend,
    chaos,
    allocator,
    dir: mkdtempSync(join(tmpdir(), 'neurochaos-fuzz-')),
    band: membraneBand(network, RIG_SATURATION_PA),
    model: { step: 0, active: new Map(), ringRiskUntil: -1, permanentDamage: false, bandExempt: new Uint8Array(n), isiExempt: new Uint8Array(n), inUseCeiling: Infinity, lastCheckpointFile: null },
    injected: [],
    trail: [],
  };
  await chaos.run(1);
  rig.model.step = 1;
  rig.model.inUseCeiling = allocator.stats().inUseBytes;
  return rig;
}

/** Stops every fault still active (best effort), releases the backend and removes the output folder. */
export async function disposeRig(rig: ChaosRig): Promise<void> {
  try {
    await rig.chaos.stopAll();
  } finally {
    if (outputFs.faulted) outputFs.setFaults(null);
    await rig.backend.dispose();
    rmSync(rig.dir, { recursive: true, force: true });
  }
}

class InvariantError extends Error {
  override readonly name = 'InvariantError';
}

function fail(rig: ChaosRig, what: string): never {
  throw new InvariantError(`${rig.entry.name} at step ${rig.backend.currentStep}: ${what}`);
}

/** Kinds that may change weights (their input stays in flight through the delay rings a while after they stop). */
const WEIGHT_KINDS: ReadonlySet<string> = kindsActingOn('weights');

/** Applies one op to the rig, checks its outcome against the model, then every invariant. Returns the resolved description (stop ops name the fault). */
export async function applyOp(rig: ChaosRig, op: ChaosOp): Promise<string | undefined> {
  const { backend, chaos, model } = rig;
  let resolved: string | undefined;
  switch (op.op) {
    case 'step': {
      const before = backend.currentStep;
      try {
        await chaos.run(op.steps);
      } catch (e) {
        if (!(e instanceof AllocationError && [...model.active.values()].some((f) => f.allocatorPart))) fail(rig, `step(${op.steps}) threw ${describe(e)}`);
        const now = backend.currentStep;
        if (now < before || now > before + op.steps) fail(rig, `a step refused by the allocator left the simulation at step ${now} (from ${before}, asked ${op.steps})`);
      }
      model.step = backend.currentStep;
      break;
    }
    case 'inject':
    case 'pressure':
    case 'kill-worker': {
      // A kill names itself, so it leaves the controller's numbering of other faults alone.
      const spec = op.op === 'kill-worker' ? { kind: 'worker-crash', id: `kill-${backend.currentStep}-${rig.injected.length}`, worker: op.worker, mode: op.mode, afterMs: op.afterSteps * backend.network.dtMs } : op.spec;
      await inject(rig, spec);
      break;
    }
    case 'stop': {
      const ids = [...model.active.keys()].sort();
      if (ids.length === 0) return 'nothing active';
      const id = ids[op.pick % ids.length];
      resolved = id;
      await chaos.stop(id);
      const f = chaos.get(id)!;
      const v = f.verify();
      if (!v.ok) fail(rig, `stop(${id}) did not undo the fault: ${v.evidence}`);
      forget(rig, id);
      break;
    }
    case 'checkpoint-restore':
      await checkpointRestore(rig, op.viaFile);
      break;
  }
  // Faults the controller stops at their duration.
  for (const [id, f] of model.active) if (f.stopAtStep !== null && f.stopAtStep <= model.step) forget(rig, id);
  checkRig(rig);
  return resolved;
}

async function inject(rig: ChaosRig, spec: Record<string, unknown>): Promise<void> {
  const { backend, chaos, model } = rig;
  const allocatorPart = spec.kind === 'allocator-pressure' && (spec.freeFraction !== undefined || Number(spec.failureRate ?? 0) > 0 || Number(spec.latencyMs ?? 0) > 0);
  const activeKinds = [...model.active.values()];
  const refusal = allocatorPart && activeKinds.some((f) => f.allocatorPart) ? 'the allocator is already under pressure' : spec.kind === 'disk-fault' && activeKinds.some((f) => f.kind === 'disk-fault') ? 'another disk-fault is already active' : null;
  const weightsBefore = digestOf(backend.synapses().weightsPa);
  const codesBefore = digestOf(backend.buffer('faultCode'));
  let fault: ActiveFault;
  try {
    fault = await chaos.injectPlanned(spec);
  } catch (e) {
    if (!(e instanceof InputError)) fail(rig, `inject threw ${describe(e)}`);
    if (refusal === null) fail(rig, `a valid spec was refused: ${e.message}`);
    // A refused fault leaves nothing behind.
    const ids = chaos.active.filter((f) => !f.id.includes('/')).map((f) => f.id).sort();
    if (ids.join() !== [...model.active.keys()].sort().join()) fail(rig, `a refused injection changed the active faults: ${ids.join(', ')}`);
    if (digestOf(backend.synapses().weightsPa) !== weightsBefore || digestOf(backend.buffer('faultCode')) !== codesBefore) fail(rig, 'a refused injection changed the buffers');
    return;
  }
  if (refusal !== null) fail(rig, `expected a refusal (${refusal}) but ${fault.id} was injected`);
  rig.injected.push(fault);
  const dt = backend.network.dtMs;
  const scheduled = SCHEDULED_STOP_KINDS.has(spec.kind as FaultKindName) && typeof spec.durationMs === 'number';
  // CPU stress ends on the wall clock: whenever it likes, as far as the model knows.
  const wallClockStop = kindsEndingBy('wall-clock').has(spec.kind as FaultKindName) && typeof spec.durationMs === 'number';
  model.active.set(fault.id, { kind: fault.kind, stopAtStep: scheduled ? backend.currentStep + Math.max(1, roundedSteps(spec.durationMs as number, dt, 'fault.durationMs', { minSteps: 0 })) : null, allocatorPart, wallClockStop });
  if (WEIGHT_KINDS.has(fault.kind)) model.ringRiskUntil = Infinity;
  if (fault.permanent && fault.kind === 'weight-corruption') model.permanentDamage = true;
  const n = backend.network.neuronCount;
  const mark = (into: Uint8Array) => {
    for (const b of fault.targets.replicas ?? []) for (const i of fault.targets.neurons ?? []) into[b * n + i] = 1;
  };
  if (fault.kind === 'neuron-fault') mark(model.bandExempt);
  if (fault.kind === 'spike-storm' && spec.unit === 'mV') mark(model.bandExempt);
  // A drifted refractory period changes the bound; a stuck membrane at or above threshold, left there when the fault stops mid-refractory, fires once more.
  if (fault.kind === 'neuron-fault') mark(model.isiExempt);
}

function forget(rig: ChaosRig, id: string): void {
  const f = rig.model.active.get(id);
  rig.model.active.delete(id);
  if (f && WEIGHT_KINDS.has(f.kind) && ![...rig.model.active.values()].some((x) => WEIGHT_KINDS.has(x.kind)) && !rig.model.permanentDamage) {
    // Input already in flight through the delay rings arrives within one ring turn.
    rig.model.ringRiskUntil = rig.model.step + ringSlotsFor(rig.backend.network);
  }
}

async function checkpointRestore(rig: ChaosRig, viaFile: boolean): Promise<void> {
  const { backend, model } = rig;
  const cp = backend.checkpoint();
  const hash = backend.recorder.spikeHash();
  let source: SimulationCheckpoint = cp;
  if (viaFile) {
    const path = join(rig.dir, 'state.ckpt');
    try {
      writeCheckpointFile(path, cp);
      model.lastCheckpointFile = path;
      source = readCheckpointFile(path);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (!(code === 'EIO' || code === 'ENOSPC') || ![...model.active.values()].some((f) => f.kind === 'disk-fault')) fail(rig, `checkpoint file write threw ${describe(e)}`);
      const left = readdirSync(rig.dir).filter((f) => f.includes('.tmp-'));
      if (left.length) fail(rig, `a failed checkpoint write left ${left.join(', ')} behind`);
      // The previous checkpoint file, if any, is still whole.
      if (model.lastCheckpointFile) readCheckpointFile(model.lastCheckpointFile);
    }
  }
  try {
    backend.restore(source);
  } catch (e) {
    // Workers take a restart point from the allocator after restoring: pressure may refuse it.
    if (!(e instanceof AllocationError && [...model.active.values()].some((f) => f.allocatorPart))) fail(rig, `restore threw ${describe(e)}`);
  }
  const again = backend.checkpoint();
  const diff = checkpointDifference(cp, again);
  if (diff) fail(rig, `checkpoint then restore is not the identity: ${diff}`);
  if (backend.recorder.spikeHash() !== hash) fail(rig, 'checkpoint then restore changed the spike hash');
}

/** The first difference between two checkpoints (null when identical, bit for bit). */
export function checkpointDifference(a: SimulationCheckpoint, b: SimulationCheckpoint): string | null {
  for (const k of ['step', 'seed', 'batch', 'synapticEvents', 'countFromStep', 'ringSlots'] as const) if (a[k] !== b[k]) return `${k}: ${a[k]} vs ${b[k]}`;
  for (const k of ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa', 'counts'] as const) if (digestOf(a[k]) !== digestOf(b[k])) return `${k} differs`;
  if (a.spikes.length !== b.spikes.length || a.spikes.some((s, i) => digestOf(s) !== digestOf(b.spikes[i]))) return 'spikes differ';
  return null;
}

/** Checks the rig against the model and every simulation invariant; throws on the first failure with every violation listed. */
export function checkRig(rig: ChaosRig): void {
  const { backend, chaos, model } = rig;
  if (backend.currentStep !== model.step) fail(rig, `at step ${backend.currentStep}, expected ${model.step}`);
  for (const [id, f] of model.active) if (f.wallClockStop && chaos.get(id)?.stopped) forget(rig, id);
  const ids = chaos.active.filter((f) => !f.id.includes('/')).map((f) => f.id).sort();
  const expected = [...model.active.keys()].sort();
  if (ids.join() !== expected.join()) fail(rig, `active faults are [${ids.join(', ')}], expected [${expected.join(', ')}] (a fault outlived its duration, or vanished)`);
  for (const f of rig.injected) {
    // A regular storm's event count is exact (a crash's recomputed steps must not count twice); other kinds' verify has windows of its own.
    // (A train that owed no event yet has acted on nothing, and says so: that is not a miscount.)
    if (!f.stopped && f.kind === 'spike-storm' && f.spec.train === 'regular') {
      const v = f.verify();
      if (!v.ok && !v.noEffect) fail(rig, `${f.id} is active but does not verify: ${v.evidence}`);
    }
    if (!f.stopped) continue;
    const v = f.verify();
    if (!v.ok) fail(rig, `${f.id} was stopped but is still in effect: ${v.evidence}`);
  }
  const inUse = rig.allocator.stats().inUseBytes;
  if (inUse > model.inUseCeiling) fail(rig, `allocator holds ${inUse} bytes, more than the ${model.inUseCeiling} after the first step (a leak)`);
  const violations = checkInvariants(backend, { guardSaturationPa: RIG_SATURATION_PA, band: rig.band, bandExempt: model.bandExempt, isiExempt: model.isiExempt, ringsMayBeNonFinite: model.ringRiskUntil >= model.step });
  if (violations.length) fail(rig, `invariants violated:\n  ${violations.join('\n  ')}`);
}

function describe(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** A cheap content digest of a typed array (FNV-1a over its bytes; equal arrays give equal digests). */
export function digestOf(a: ArrayBufferView): string {
  const u = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < u.length; i++) {
    h1 = Math.imul(h1 ^ u[i], 0x01000193);
    h2 = Math.imul(h2 ^ u[i], 0x5bd1e995) ^ (h2 >>> 13);
  }
  return `${u.length}:${(h1 >>> 0).toString(16)}${(h2 >>> 0).toString(16)}`;
}
