import { capabilitiesOf, kindsActingOn } from '../chaos/fault-kinds.js';
import fc from 'fast-check';
import type { Network } from '../model/network.js';
import { applyOp, createRig, digestOf, disposeRig, type ChaosRig, type FuzzBackendEntry, type RigModel } from './chaos-rig.js';
import { chaosOpArbitraries, chaosOpsArbitrary, describeOp, type ChaosOp, type ChaosOpConstraints } from './chaos-ops.js';
import { baselineRateBand, stopAllAndRecover, type RateBand } from './recovery.js';

/** The state buffers a run's digest covers, in digest order. */
const STATE_PARTS = ['membraneMv', 'currentExcPa', 'currentInhPa', 'refractorySteps', 'ringExcPa', 'ringInhPa'] as const;

/** A fast-check command around one op: its toString makes a shrunk counterexample read like a script. */
class OpCommand implements fc.AsyncCommand<RigModel, ChaosRig> {
  private resolved: string | undefined;
  constructor(readonly op: ChaosOp) {}
  check(model: Readonly<RigModel>): boolean {
    return this.op.op !== 'stop' || model.active.size > 0;
  }
  async run(_model: RigModel, rig: ChaosRig): Promise<void> {
    this.resolved = await applyOp(rig, this.op);
  }
  toString(): string {
    return describeOp(this.op, this.resolved);
  }
}

export interface ChaosFuzzOptions extends ChaosOpConstraints {
  /** Seed of the simulation and of the chaos controller. @defaultValue 1 */
  seed?: number;
  /** Most commands per run. @defaultValue 10 */
  maxCommands?: number;
  /** Time the network gets, after every fault is stopped, to return to its baseline band (simulated ms). @defaultValue 500 */
  recoveryMs?: number;
  /** The baseline rate band (computed from an undisturbed reference run when absent). */
  rateBand?: RateBand;
  /** Replays a failure: the command sequence's replay path from its report (see CheckOptions.replayPath). */
  replayPath?: string;
}

async function rateBandFor(network: Network, o: ChaosFuzzOptions): Promise<RateBand> {
  return o.rateBand ?? baselineRateBand(network, { seed: o.seed });
}

/**
 * Model-based property: random command sequences (step, inject any fault
 * kind with any valid spec, stop a fault, kill a worker, allocator pressure,
 * checkpoint and restore) against a live simulation on `entry`'s backend.
 * After every command the model and every invariant hold (see applyOp and
 * checkInvariants); at the end every fault is stopped and the network must
 * return to its baseline band within `recoveryMs`.
 */
export function chaosModelProperty(entry: FuzzBackendEntry, network: Network, options: ChaosFuzzOptions = {}) {
  const o = { workers: entry.workers, ...options };
  const a = chaosOpArbitraries(network, o);
  const cmd = (arb: fc.Arbitrary<ChaosOp>) => arb.map((op) => new OpCommand(op));
  const arbs = [cmd(a.step), cmd(a.step), cmd(a.inject), cmd(a.inject), cmd(a.stop), cmd(a.pressure), cmd(a['checkpoint-restore'])];
  if (entry.workers > 0) arbs.push(cmd(a['kill-worker']));
  const pristine = digestOf(network.synapses.weightsPa);
  const saved = network.synapses.weightsPa.slice();
  let band: RateBand | undefined;
  return fc.asyncProperty(fc.commands(arbs, { maxCommands: o.maxCommands ?? 10, replayPath: o.replayPath }), async (cmds) => {
    band ??= await rateBandFor(network, o);
    if (digestOf(network.synapses.weightsPa) !== pristine) throw new Error('the network weights were left changed by an earlier run');
    const rig = await createRig(entry, network, o.seed ?? 1);
    try {
      await fc.asyncModelRun(() => ({ model: rig.model, real: rig }), cmds);
      await stopAllAndRecover(rig, band, pristine, o.recoveryMs ?? 500);
    } finally {
      await disposeRig(rig);
      network.synapses.weightsPa.set(saved);
    }
  });
}

/** What a replayed op list ends with. */
export interface OpsOutcome {
  spikeHash: string;
  stateDigest: string;
  steps: number;
  script: string[];
}

/** Runs an op list on a fresh rig (checking every invariant after each op) and returns the final spike hash and state digest. */
export async function runOps(entry: FuzzBackendEntry, network: Network, ops: ChaosOp[], seed = 1): Promise<OpsOutcome> {
  const saved = network.synapses.weightsPa.slice();
  const rig = await createRig(entry, network, seed);
  const script: string[] = [];
  try {
    for (const op of ops) {
      if (op.op === 'stop' && rig.model.active.size === 0) continue;
      if (entry.workers === 0 && needsWorkers(op)) continue;
      script.push(describeOp(op, await applyOp(rig, op)));
    }
    const cp = rig.backend.checkpoint();
    return { spikeHash: rig.backend.recorder.spikeHash(), stateDigest: STATE_PARTS.map((k) => digestOf(cp[k])).join('/'), steps: rig.backend.currentStep, script };
  } finally {
    await disposeRig(rig);
    network.synapses.weightsPa.set(saved);
  }
}

/** 'equal', or which state buffers differ. */
function stateDiff(a: string, b: string): string {
  const pa = a.split('/');
  const pb = b.split('/');
  const differ = STATE_PARTS.filter((_, i) => pa[i] !== pb[i]);
  return differ.length === 0 ? 'equal' : `differs in ${differ.join(', ')}`;
}

/** Determinism: the same op list with the same seed, run twice on fresh simulations, gives the same spike hash and state. */
export function replayProperty(entry: FuzzBackendEntry, network: Network, options: ChaosOpConstraints & { seed?: number; maxOps?: number } = {}) {
  const o = { workers: entry.workers, ...options };
  return fc.asyncProperty(chaosOpsArbitrary(network, o), async (ops) => {
    const first = await runOps(entry, network, ops, o.seed);
    const second = await runOps(entry, network, ops, o.seed);
    if (first.spikeHash !== second.spikeHash || first.stateDigest !== second.stateDigest) {
      throw new Error(`replay differs on ${entry.name}: spike hash ${first.spikeHash} then ${second.spikeHash}, state ${first.stateDigest === second.stateDigest ? 'equal' : 'differs'}\n  ${first.script.join('\n  ')}`);
    }
  });
}

/** Ops that only a worker-thread engine can host (the reference skips them). */
export function needsWorkers(op: ChaosOp): boolean {
  if (op.op === 'kill-worker') return true;
  if (op.op !== 'inject') return false;
  // Whatever needs the supervised worker threads (a crash, a stall, a cascade of crashes), as its kind declares.
  return capabilitiesOf(op.spec).includes('shard-supervision');
}

/** Ops whose effect on the spikes differs between engines by design: shard partitions, and allocator pressure (only the worker engine allocates while it runs). */
function engineSpecific(op: ChaosOp): boolean {
  if (op.op === 'pressure') return true;
  if (op.op !== 'inject') return false;
  const s = op.spec as { kind: string; from?: { shards?: unknown; rest?: unknown }; to?: { shards?: unknown; rest?: unknown } };
  return kindsActingOn('allocator').has(op.spec.kind) || (s.kind === 'partition' && (s.from?.shards !== undefined || s.to?.shards !== undefined || s.from?.rest !== undefined || s.to?.rest !== undefined));
}

/**
 * Equivalence: the same op list on the reference and on another backend
 * gives the same spikes and state, bit for bit. Worker crashes, stalls and
 * kills run on the worker engine only (the reference skips them): its
 * supervisor must recover without a gap or a duplicate in the record.
 */
export function equivalenceProperty(reference: FuzzBackendEntry, other: FuzzBackendEntry, network: Network, options: ChaosOpConstraints & { seed?: number; maxOps?: number } = {}) {
  const o = { workers: other.workers, ...options };
  // Explicit fault ids: targets are drawn per (seed, fault id), and the reference skips worker faults that would otherwise shift the controller's numbering.
  const named = (ops: ChaosOp[]) => ops.filter((op) => !engineSpecific(op)).map((op, i): ChaosOp => (op.op === 'inject' ? { ...op, spec: { ...op.spec, id: `f${i}` } } : op));
  return fc.asyncProperty(chaosOpsArbitrary(network, o).map(named), async (ops) => {
    const a = await runOps(reference, network, ops, o.seed);
    const b = await runOps(other, network, ops, o.seed);
    if (a.spikeHash !== b.spikeHash || a.stateDigest !== b.stateDigest || a.steps !== b.steps) {
      throw new Error(`${reference.name} and ${other.name} differ: spike hash ${a.spikeHash} vs ${b.spikeHash}, ${a.steps} vs ${b.steps} steps, state ${stateDiff(a.stateDigest, b.stateDigest)}\n  ${other.name}: ${b.script.join('\n    ')}`);
    }
  });
}
